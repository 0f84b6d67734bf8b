import { deflateSync } from 'node:zlib';

/**
 * openai/whisper's compression ratio: text bytes over zlib-compressed bytes. Repetitive hallucinations
 * ("thank you thank you thank you…") compress extremely well, so a high ratio flags them.
 */
export function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return 0;
  return bytes.length / deflateSync(bytes).length;
}

export interface QualityThresholds {
  compressionRatio: number;
  logprob: number;
  noSpeech: number;
}

export const DEFAULT_THRESHOLDS: QualityThresholds = { compressionRatio: 2.4, logprob: -1.0, noSpeech: 0.6 };

export interface WindowQuality {
  avgLogprob: number;
  compressionRatio: number;
  noSpeechProb: number;
  /** A block of tokens repeated back to back (see repetition.ts). */
  looping?: boolean;
}

/** Whisper's rule: silence is a confident <|nospeech|> with an unconfident transcript. */
export function isSilent(q: WindowQuality, t: QualityThresholds = DEFAULT_THRESHOLDS): boolean {
  return q.noSpeechProb > t.noSpeech && q.avgLogprob < t.logprob;
}

/** Whether to decode again at a higher temperature. */
export function needsFallback(q: WindowQuality, t: QualityThresholds = DEFAULT_THRESHOLDS): boolean {
  if (isSilent(q, t)) return false;
  return q.compressionRatio > t.compressionRatio || q.avgLogprob < t.logprob || q.looping === true;
}
