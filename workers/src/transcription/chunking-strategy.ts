import { ApiError, type VadOverrides, vadOverridesSchema } from '@whisper-edge/shared';

const invalid = (message: string) =>
  new ApiError(400, `Invalid 'chunking_strategy': ${message}`, {
    param: 'chunking_strategy',
    code: 'invalid_value',
  });

/**
 * OpenAI's `chunking_strategy`: `auto`, or `{"type": "server_vad", threshold, prefix_padding_ms,
 * silence_duration_ms}` — sent as a JSON string, or as the bracketed fields the OpenAI SDKs write for
 * an object in a form (`chunking_strategy[type]=server_vad`). Both map onto our Silero VAD; `auto`
 * (and no value) keeps the service's own chunking. Returns the VAD settings to apply, if any.
 */
export function parseChunkingStrategy(fields: Record<string, string>): VadOverrides | undefined {
  const raw = fields.chunking_strategy?.trim();
  const bracketed = Object.keys(fields).filter((k) => k.startsWith('chunking_strategy['));
  let value: Record<string, unknown> | undefined;
  if (bracketed.length > 0) {
    value = Object.fromEntries(bracketed.map((k) => [k.slice('chunking_strategy['.length, -1), fields[k]]));
  } else if (!raw || raw === 'auto') {
    return undefined;
  } else {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
      value = parsed as Record<string, unknown>;
    } catch {
      throw invalid(`expected "auto" or a server_vad object (got '${raw.slice(0, 40)}')`);
    }
  }
  if (value.type !== 'server_vad') throw invalid("an object's type must be 'server_vad'");
  const numbers = Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'type')
      .map(([k, v]) => [k, typeof v === 'string' && v.trim() !== '' ? Number(v) : v]),
  );
  const parsed = vadOverridesSchema.strict().safeParse(numbers);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(`${issue.path.join('.') || 'field'}: ${issue.message}`);
  }
  return parsed.data;
}
