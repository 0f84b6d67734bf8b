import type { WhisperVocab } from './whisper-vocab.js';

export interface TokenSegment {
  /** Seconds from the start of the window. */
  start: number;
  end: number;
  tokens: number[];
}

const SECONDS_PER_TIMESTAMP = 0.02;

/**
 * Splits a timestamped token sequence into segments the way Whisper writes them:
 * `<|t0|> text <|t1|><|t1|> text <|t2|> <|eot|>`. A sequence without timestamps is one segment
 * spanning the window; a trailing unclosed segment ends where the window does.
 */
export function tokensToSegments(
  tokens: readonly number[],
  vocab: WhisperVocab,
  windowSeconds: number,
): TokenSegment[] {
  const segments: TokenSegment[] = [];
  const isTimestamp = (t: number) => t >= vocab.timestampBegin;
  const time = (t: number) => Math.min((t - vocab.timestampBegin) * SECONDS_PER_TIMESTAMP, windowSeconds);
  let start: number | undefined;
  let text: number[] = [];
  for (const token of tokens) {
    if (token === vocab.eot) break;
    if (isTimestamp(token)) {
      if (text.length > 0) {
        segments.push({ start: start ?? 0, end: Math.max(start ?? 0, time(token)), tokens: text });
        text = [];
        start = undefined;
      } else {
        start = time(token);
      }
    } else if (token < vocab.eot) {
      text.push(token);
    }
  }
  if (text.length > 0) segments.push({ start: start ?? 0, end: windowSeconds, tokens: text });
  return segments;
}
