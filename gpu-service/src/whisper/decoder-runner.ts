import * as ort from 'onnxruntime-node';
import type { WhisperConfig } from '../models/whisper-model.js';
import { halfToFloat } from './float16.js';

export interface DecoderShape {
  layers: number;
  heads: number;
  headDim: number;
}

export function decoderShape(config: WhisperConfig): DecoderShape {
  return {
    layers: config.decoder_layers,
    heads: config.decoder_attention_heads,
    headDim: config.d_model / config.decoder_attention_heads,
  };
}

/** One window to decode: its row of an encoder output, its prompt and its own decoding settings. */
export interface SequenceRequest {
  hidden: ort.Tensor;
  row: number;
  prompt: number[];
  withTimestamps: boolean;
  temperature: number;
  /** Uniform random numbers in [0, 1) for sampling at temperature > 0: this sequence's own stream. */
  random?: () => number;
  maxNewTokens?: number;
  /** openai/whisper's stricter timestamp rules (see RuleState); off reproduces Transformers.js. */
  strictTimestamps?: boolean;
  /** Keep the alignment heads' cross-attention over this many encoder frames (word timestamps). */
  alignment?: { heads: Array<[number, number]>; frames: number };
  /** Someone is watching (a live session): taken in at once, past the batch size, ahead of the queue. */
  urgent?: boolean;
}

export interface DecodedSequence {
  tokens: number[];
  /** Each token's log-probability as it was chosen (after the logit rules), for word confidence. */
  logprobs: number[];
  sumLogprob: number;
  /** Probability of <|nospeech|> at the position after <|startoftranscript|>. */
  noSpeechProb: number;
  /**
   * With `alignment`: per alignment head, each decoder input position's attention over the kept frames
   * (the prompt's positions, then every generated token that was fed back).
   */
  attention?: Float32Array[][];
}

const empty = (batch: number, shape: DecoderShape) =>
  new ort.Tensor('float32', new Float32Array(0), [batch, shape.heads, 0, shape.headDim]);

/** The caches of a first step: nothing decoded yet, no cross-attention computed yet. */
export function emptyCache(batch: number, shape: DecoderShape): Record<string, ort.Tensor> {
  const past: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < shape.layers; layer++) {
    for (const kind of ['decoder', 'encoder'] as const) {
      for (const kv of ['key', 'value'] as const)
        past[`past_key_values.${layer}.${kind}.${kv}`] = empty(batch, shape);
    }
  }
  return past;
}

/** What a sequence asks of keepAttention: its alignment heads and frames, and where they go. */
export interface Aligned {
  request: { alignment?: { heads: Array<[number, number]>; frames: number } };
  sequence: DecodedSequence;
}

/**
 * Copies this step's attention rows for the alignment heads into each aligning sequence of the batch
 * (row b of the step's outputs is members[b]), only over the frames of its audio.
 */
export function keepAttention(
  outputs: ort.InferenceSession.OnnxValueMapType,
  members: readonly Aligned[],
  stepLength: number,
): void {
  for (const [b, { request, sequence }] of members.entries()) {
    const alignment = request.alignment;
    if (!alignment) continue;
    for (const [k, [layer, head]] of alignment.heads.entries()) {
      const tensor = outputs[`cross_attentions.${layer}`]!;
      const [, heads, , sourceFrames] = tensor.dims as [number, number, number, number];
      const data = floats(tensor);
      const frames = Math.min(alignment.frames, sourceFrames);
      for (let t = 0; t < stepLength; t++) {
        const offset = ((b * heads + head) * stepLength + t) * sourceFrames;
        sequence.attention![k]!.push(Float32Array.from(data.subarray(offset, offset + frames)));
      }
    }
  }
}

/** Float32 views of float32 or float16 (CUDA exports) outputs; halves are widened when read. */
function floats(tensor: ort.Tensor): { subarray(start: number, end: number): ArrayLike<number> } {
  if (tensor.type !== 'float16') return tensor.data as Float32Array;
  const halves = tensor.data as Uint16Array;
  return { subarray: (start, end) => Array.from(halves.subarray(start, end), halfToFloat) };
}
