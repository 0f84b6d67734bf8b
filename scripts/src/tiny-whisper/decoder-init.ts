/**
 * Structured random init for the decoder's token and position embeddings.
 *
 * With plain Gaussian embeddings a tied-head random decoder never predicts
 * <|endoftext|>: every call runs to max_length (448 steps), repeats one token,
 * and in timestamp mode Whisper's "timestamp mass" rule and the seek loop in
 * Transformers.js see arbitrary timestamps. Nothing here fixes an output: the
 * text tokens and their number come from the random weights and the audio.
 * Instead, a few reserved embedding directions - which the decoder blocks are
 * not allowed to write to - give the model the tendencies a trained Whisper has:
 *
 *  - `end`: each position carries a component that grows linearly with the
 *    number of generated tokens (starting negative), and <|endoftext|> points
 *    along it, so a transcript eventually ends. Timestamps point along it too,
 *    more weakly: individually they lose to <|endoftext|>, so decoding without
 *    timestamps just stops; but 1501 of them together outweigh any single
 *    token, so Whisper's timestamp rule first closes the segment with a
 *    timestamp. That timestamp, fed back as input, adds its own `end`
 *    component, after which <|endoftext|> beats the timestamp mass. The
 *    negative start cancels the same push after the opening <|0.00|>.
 *  - a "time" subspace: timestamp <|t|> is a multi-frequency sinusoidal code of
 *    t and positions carry the code of (a fixed rate × tokens so far), so the
 *    opening timestamp is <|0.00|> and the closing one grows with the text.
 *
 * Regular tokens and the random part of the positions are projected out of the
 * reserved subspace, so there the residual stream holds exactly what this
 * file puts in and the final LayerNorm only rescales it.
 */
import { projectOut } from './nn-blocks.js';
import type { Rng } from './rng.js';
import type { SpecialTokenLayout } from './special-tokens.js';

export interface DecoderShaping {
  /** Std of text-token logits for a unit-variance hidden state (sets how peaked predictions are). */
  textLogitStd: number;
  /**
   * Per-component std of the random part of the position embeddings. It gives each
   * step a different nudge, which is what keeps greedy decoding from repeating itself.
   */
  positionStd: number;
  /** `end` component of the position of the first generated token (raw units). */
  endRampStart: number;
  /** Growth of the `end` component per generated token (raw units). */
  endRampPerToken: number;
  eosEnd: number;
  timestampEnd: number;
  /** Amplitude of the time code in timestamp embeddings and in positions. */
  timeCodeTimestamp: number;
  timeCodePosition: number;
  /** Seconds of "speech" per generated token used by the position time code. */
  secondsPerToken: number;
  /** Scale of control/language tokens relative to text tokens, so they are rarely predicted. */
  controlTokenScale: number;
}

/** Gains of the decoder blocks; they set how much each step's hidden state varies. */
export interface DecoderTuning extends DecoderShaping {
  selfOutGain: number;
  /** Kept low: cross-attention mostly averages similar encoder frames, i.e. adds a step-independent vector. */
  crossOutGain: number;
  mlpGain: number;
  selfQkGain: number;
  crossQkGain: number;
}

/**
 * Tuned on the test/tiny/base presets, several seeds and signals. The `end`
 * numbers follow from text logits peaking around 4.65 × textLogitStd ≈ 18 and the
 * timestamp mass adding up to ln(1501) ≈ 7.3 nats. With c = the LayerNorm-scaled
 * `end` component: the timestamp rule fires at c ≈ 0.8, <|endoftext|> passes the
 * best text token only at c ≈ 1.1 (so timestamp mode always closes with a
 * timestamp first) and beats the timestamp mass only for c > 7.3 / (16 - 13.6) ≈ 3,
 * which happens only right after a timestamp input (+13.6 raw, c ≈ 4-5).
 */
export const DEFAULT_TUNING: DecoderTuning = {
  selfOutGain: 1,
  crossOutGain: 0.7,
  mlpGain: 3,
  selfQkGain: 1.5,
  crossQkGain: 2,
  textLogitStd: 4,
  positionStd: 1,
  endRampStart: -13,
  endRampPerToken: 1,
  eosEnd: 16,
  timestampEnd: 13.6,
  timeCodeTimestamp: 1,
  timeCodePosition: 2,
  secondsPerToken: 0.08,
  controlTokenScale: 0.4,
};

/** Periods (s) of the time code; incommensurate so the code has one clear peak over 0–30 s. */
const TIME_PERIODS = [71, 23, 7.3, 2.3];

/** Decoder positions before the first predicted text token (<|sot|> <|lang|> <|task|>). */
const PROMPT_POSITIONS = 3;

/** Random orthonormal vectors that are also orthogonal to the all-ones vector (LayerNorm removes that). */
function reservedDirections(d: number, count: number, rng: Rng): Float32Array[] {
  const basis: Float64Array[] = [new Float64Array(d).fill(1 / Math.sqrt(d))];
  const out: Float32Array[] = [];
  while (out.length < count) {
    const v = Float64Array.from({ length: d }, () => rng.normal());
    for (const b of basis) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += v[i]! * b[i]!;
      for (let i = 0; i < d; i++) v[i]! -= dot * b[i]!;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += v[i]! ** 2;
    norm = Math.sqrt(norm);
    if (norm < 1e-6) continue;
    for (let i = 0; i < d; i++) v[i]! /= norm;
    basis.push(v);
    out.push(Float32Array.from(v));
  }
  return out;
}

function addScaled(row: Float32Array, dir: Float32Array, scale: number): void {
  for (let i = 0; i < row.length; i++) row[i]! += scale * dir[i]!;
}

export interface DecoderEmbeddings {
  tokens: Float32Array;
  positions: Float32Array;
  reserved: Float32Array[];
}

export function buildDecoderEmbeddings(
  d: number,
  maxPositions: number,
  layout: SpecialTokenLayout,
  rng: Rng,
  shaping: DecoderShaping = DEFAULT_TUNING,
): DecoderEmbeddings {
  const V = layout.vocabSize;
  const tokenStd = shaping.textLogitStd / Math.sqrt(d);
  // Room for the time code only when d leaves enough random dimensions.
  const timeFreqs = TIME_PERIODS.slice(
    0,
    Math.max(0, Math.min(TIME_PERIODS.length, Math.floor((d - 8) / 4))),
  );
  const dirs = reservedDirections(d, 1 + 2 * timeFreqs.length, rng.fork('reserved'));
  const [end, ...timeDirs] = dirs as [Float32Array, ...Float32Array[]];
  const normaliser = 1 / Math.sqrt(Math.max(1, timeFreqs.length));
  const addTimeCode = (row: Float32Array, seconds: number, amplitude: number) => {
    timeFreqs.forEach((period, k) => {
      const angle = (2 * Math.PI * seconds) / period;
      addScaled(row, timeDirs[2 * k]!, amplitude * normaliser * Math.cos(angle));
      addScaled(row, timeDirs[2 * k + 1]!, amplitude * normaliser * Math.sin(angle));
    });
  };

  const tokens = rng.fork('tokens').normalArray(V * d, tokenStd);
  for (let id = 0; id < V; id++) {
    const row = tokens.subarray(id * d, (id + 1) * d);
    projectOut(row, dirs);
    if (id === layout.endOfText) {
      // No random part: its logit must follow `end` exactly for the margins above to hold.
      row.fill(0);
      addScaled(row, end, shaping.eosEnd);
    } else if (id >= layout.timestampBegin) {
      // Pure structure as well, so only the time code decides which timestamp wins.
      row.fill(0);
      addScaled(row, end, shaping.timestampEnd);
      addTimeCode(row, (id - layout.timestampBegin) * 0.02, shaping.timeCodeTimestamp);
    } else if (id > layout.endOfText) {
      for (let i = 0; i < d; i++) row[i]! *= shaping.controlTokenScale;
    }
  }

  const positions = rng.fork('positions').normalArray(maxPositions * d, shaping.positionStd);
  for (let p = 0; p < maxPositions; p++) {
    const row = positions.subarray(p * d, (p + 1) * d);
    projectOut(row, dirs);
    // Tokens generated before the one predicted at this position (negative inside the prompt).
    const generated = p - (PROMPT_POSITIONS - 1);
    addScaled(row, end, shaping.endRampStart + shaping.endRampPerToken * generated);
    addTimeCode(row, Math.max(0, generated) * shaping.secondsPerToken, shaping.timeCodePosition);
  }
  return { tokens, positions, reserved: dirs };
}
