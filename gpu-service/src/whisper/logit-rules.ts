import type { WhisperVocab } from './whisper-vocab.js';

/**
 * Whisper's decoding constraints on one row of logits, in the order Transformers.js applies them
 * (suppress tokens, suppress at begin, then the timestamp rules), so that our batched decoder and the
 * stock pipeline pick the same tokens for the same window.
 */
export interface RuleState {
  /** Tokens generated so far for this sequence (after the prompt). */
  generated: readonly number[];
  withTimestamps: boolean;
  /**
   * openai/whisper's extra timestamp rules, which Transformers.js leaves out: the first timestamp may
   * not exceed this index (50 = 1.0 s), and timestamps may not go backwards. Undefined = off.
   */
  maxInitialTimestampIndex?: number | undefined;
  monotonicTimestamps?: boolean;
}

export function applyRules(logits: Float32Array, vocab: WhisperVocab, state: RuleState): void {
  for (const id of vocab.suppressTokens) logits[id] = Number.NEGATIVE_INFINITY;
  const atBegin = state.generated.length === 0;
  if (atBegin) for (const id of vocab.beginSuppressTokens) logits[id] = Number.NEGATIVE_INFINITY;
  if (!state.withTimestamps) return;

  const tsBegin = vocab.timestampBegin;
  logits[vocab.noTimestamps] = Number.NEGATIVE_INFINITY;
  if (atBegin) {
    // The first token of a timestamped transcript is a timestamp, and an early one.
    logits.fill(Number.NEGATIVE_INFINITY, 0, tsBegin);
    if (state.maxInitialTimestampIndex !== undefined) {
      logits.fill(Number.NEGATIVE_INFINITY, tsBegin + state.maxInitialTimestampIndex + 1);
    }
    return;
  }
  const seq = state.generated;
  const last = seq[seq.length - 1]!;
  const lastWasTimestamp = last >= tsBegin;
  const penultimateWasTimestamp = seq.length < 2 || seq[seq.length - 2]! >= tsBegin;
  if (lastWasTimestamp) {
    // Timestamps come in pairs (closing one segment, opening the next), except right before the end.
    if (penultimateWasTimestamp) logits.fill(Number.NEGATIVE_INFINITY, tsBegin);
    else logits.fill(Number.NEGATIVE_INFINITY, 0, vocab.eot);
  }
  if (state.monotonicTimestamps) {
    let lastTimestamp = -1;
    for (const token of seq) if (token >= tsBegin) lastTimestamp = token;
    if (lastTimestamp >= 0) {
      // A segment's end may equal its start only when it opens a new segment right after a pair.
      const floor = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
      logits.fill(Number.NEGATIVE_INFINITY, tsBegin, Math.min(floor, logits.length));
    }
  }
  // If the timestamps together are likelier than any single text token, a timestamp it is.
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (max === Number.NEGATIVE_INFINITY) return;
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i]! - max);
  const logTotal = Math.log(total) + max;
  let tsSum = 0;
  for (let i = tsBegin; i < logits.length; i++) tsSum += Math.exp(logits[i]! - max);
  const timestampLogprob = Math.log(tsSum) + max - logTotal;
  let maxText = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < tsBegin; i++) if (logits[i]! > maxText) maxText = logits[i]!;
  if (timestampLogprob > maxText - logTotal) logits.fill(Number.NEGATIVE_INFINITY, 0, tsBegin);
}

/** log(softmax(x)[i]) for the chosen index, without allocating. */
export function logSoftmaxAt(logits: Float32Array, index: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i]! - max);
  return logits[index]! - max - Math.log(total);
}

export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** Samples from softmax(logits / temperature) with the given uniform random number in [0, 1). */
export function sample(logits: Float32Array, temperature: number, uniform: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let total = 0;
  const weights = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    const w = Math.exp((logits[i]! - max) / temperature);
    weights[i] = w;
    total += w;
  }
  let target = uniform * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target <= 0) return i;
  }
  return argmax(logits);
}
