import { ApiError } from '@whisper-edge/shared';
import { z } from 'zod';

const MAX_KEYWORDS = 100;
const MAX_KEYWORD_CHARS = 64;

/** `keywords[]` once split and cleaned: what the prompt's glossary is built from. */
export const keywordsSchema = z
  .array(z.string().min(1).max(MAX_KEYWORD_CHARS))
  .max(MAX_KEYWORDS)
  .meta({
    description:
      'Names and terms to spell right (≤ 100 of ≤ 64 characters; repeated, comma-separated or a JSON array). ' +
      'Whisper has no vocabulary biasing: they go into the prompt as a glossary, which nudges spelling, not hearing.',
  });

const invalid = (message: string) =>
  new ApiError(400, `Invalid 'keywords': ${message}`, { param: 'keywords', code: 'invalid_value' });

/**
 * `keywords[]`: names and terms the transcript should spell right. Whisper has no vocabulary biasing,
 * so they go where it looks for context, the prompt, as a glossary after any prompt of the caller's
 * (the decoder keeps a prompt's last 223 tokens, so the glossary is what survives a long one).
 * Repeated fields, a comma-separated list or a JSON array; at most 100 of 64 characters.
 */
export function parseKeywords(fields: Record<string, string>): string[] | undefined {
  const raw = fields['keywords[]'] ?? fields.keywords;
  if (raw === undefined || raw.trim() === '') return undefined;
  let values: unknown[];
  if (raw.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!Array.isArray(parsed)) throw new Error();
      values = parsed;
    } catch {
      throw invalid('expected a list of terms');
    }
  } else values = raw.split(',');
  const terms = [...new Set(values.map((v) => String(v).replace(/\s+/g, ' ').trim()).filter(Boolean))];
  const checked = keywordsSchema.safeParse(terms);
  if (!checked.success) {
    if (terms.length > MAX_KEYWORDS) throw invalid(`at most ${MAX_KEYWORDS} terms (got ${terms.length})`);
    const long = terms.find((t) => t.length > MAX_KEYWORD_CHARS) ?? '';
    throw invalid(`a term may have at most ${MAX_KEYWORD_CHARS} characters ('${long.slice(0, 20)}…')`);
  }
  return terms.length > 0 ? checked.data : undefined;
}

/** The prompt field's limit on the GPU side (shared's transcribeOptionsSchema). */
const MAX_PROMPT_CHARS = 4000;

/**
 * The prompt the decoder sees: the caller's, then the glossary, cut from the front past 4000
 * characters, as the decoder itself keeps a prompt's end.
 */
export function promptWithKeywords(
  prompt: string | undefined,
  keywords: string[] | undefined,
): string | undefined {
  if (!keywords) return prompt;
  const glossary = `Glossary: ${keywords.join(', ')}.`;
  const full = prompt?.trim() ? `${prompt.trim()} ${glossary}` : glossary;
  return full.length > MAX_PROMPT_CHARS ? full.slice(-MAX_PROMPT_CHARS) : full;
}
