/**
 * Transformer building blocks shared by the encoder and decoder graphs.
 * Weight names follow Hugging Face's WhisperForConditionalGeneration so the
 * graphs are easy to compare with a real export, but linear weights are stored
 * input-major ([in, out]) so a plain MatMul applies them without a Transpose.
 */
import { attr, type GraphBuilder } from './onnx-builder.js';
import type { Rng } from './rng.js';

export class WeightFactory {
  constructor(
    readonly g: GraphBuilder,
    private readonly rng: Rng,
  ) {}

  normal(name: string, dims: readonly number[], std: number): string {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.g.weight(name, this.rng.fork(name).normalArray(n, std), dims);
  }

  filled(name: string, dims: readonly number[], value: number): string {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.g.weight(name, new Float32Array(n).fill(value), dims);
  }

  /**
   * 1/sqrt(fan_in) keeps each output unit at roughly unit variance for unit-variance inputs.
   * `protect` lists unit directions of the output space the layer must not write to.
   */
  linear(
    name: string,
    dIn: number,
    dOut: number,
    opts: { bias: boolean; gain?: number; protect?: readonly Float32Array[] },
  ): LinearWeights {
    const w = this.rng.fork(`${name}.weight`).normalArray(dIn * dOut, (opts.gain ?? 1) / Math.sqrt(dIn));
    const b = opts.bias ? this.rng.fork(`${name}.bias`).normalArray(dOut, 0.02) : null;
    if (opts.protect?.length) {
      for (let i = 0; i < dIn; i++) projectOut(w.subarray(i * dOut, (i + 1) * dOut), opts.protect);
      if (b) projectOut(b, opts.protect);
    }
    return {
      weight: this.g.weight(`${name}.weight`, w, [dIn, dOut]),
      bias: b ? this.g.weight(`${name}.bias`, b, [dOut]) : null,
    };
  }

  layerNorm(name: string, d: number): LayerNormWeights {
    return { gamma: this.filled(`${name}.weight`, [d], 1), beta: this.filled(`${name}.bias`, [d], 0) };
  }
}

/** Removes the components of `row` along each (unit, mutually orthogonal) direction. */
export function projectOut(row: Float32Array, dirs: readonly Float32Array[]): void {
  for (const dir of dirs) {
    let dot = 0;
    for (let i = 0; i < row.length; i++) dot += row[i]! * dir[i]!;
    for (let i = 0; i < row.length; i++) row[i]! -= dot * dir[i]!;
  }
}

export interface LinearWeights {
  weight: string;
  bias: string | null;
}

export interface LayerNormWeights {
  gamma: string;
  beta: string;
}

export function linear(g: GraphBuilder, x: string, w: LinearWeights, hint: string): string {
  const y = g.op('MatMul', [x, w.weight], {}, hint);
  return w.bias ? g.op('Add', [y, w.bias], {}, `${hint}_b`) : y;
}

export function layerNorm(g: GraphBuilder, x: string, w: LayerNormWeights, hint: string): string {
  // Whisper uses PyTorch's default LayerNorm epsilon.
  return g.op(
    'LayerNormalization',
    [x, w.gamma, w.beta],
    { axis: attr.int(-1), epsilon: attr.float(1e-5) },
    hint,
  );
}

/** Exact (erf) GELU, as Whisper uses; opset 17 has no Gelu op, ORT fuses this pattern anyway. */
export function gelu(g: GraphBuilder, x: string, hint: string): string {
  const scaled = g.op('Mul', [x, g.constFloat([Math.SQRT1_2], [])], {}, `${hint}_s`);
  const erf = g.op('Erf', [scaled], {}, `${hint}_erf`);
  const onePlus = g.op('Add', [erf, g.constFloat([1], [])], {}, `${hint}_1p`);
  const half = g.op('Mul', [x, g.constFloat([0.5], [])], {}, `${hint}_h`);
  return g.op('Mul', [half, onePlus], {}, hint);
}

/** [B, T, H*hd] -> [B, H, T, hd]. The zeros copy B and T, so this also works for T = 0. */
export function splitHeads(g: GraphBuilder, x: string, heads: number, hd: number, hint: string): string {
  const r = g.op('Reshape', [x, g.constInt64([0, 0, heads, hd])], {}, `${hint}_r`);
  return g.op('Transpose', [r], { perm: attr.ints([0, 2, 1, 3]) }, hint);
}

/** [B, H, T, hd] -> [B, T, H*hd]. */
export function mergeHeads(g: GraphBuilder, x: string, d: number, hint: string): string {
  const t = g.op('Transpose', [x], { perm: attr.ints([0, 2, 1, 3]) }, `${hint}_t`);
  return g.op('Reshape', [t, g.constInt64([0, 0, d])], {}, hint);
}

/**
 * Scaled dot-product attention on already split heads.
 * `bias` is an additive mask broadcastable to [B, H, Tq, Tk].
 */
export function attend(
  g: GraphBuilder,
  q: string,
  k: string,
  v: string,
  hd: number,
  hint: string,
  bias?: string,
): { probs: string; context: string } {
  const qs = g.op('Mul', [q, g.constFloat([1 / Math.sqrt(hd)], [])], {}, `${hint}_qs`);
  const kt = g.op('Transpose', [k], { perm: attr.ints([0, 1, 3, 2]) }, `${hint}_kt`);
  let scores = g.op('MatMul', [qs, kt], {}, `${hint}_scores`);
  if (bias) scores = g.op('Add', [scores, bias], {}, `${hint}_masked`);
  const probs = g.op('Softmax', [scores], { axis: attr.int(-1) }, `${hint}_probs`);
  const context = g.op('MatMul', [probs, v], {}, `${hint}_ctx`);
  return { probs, context };
}

export interface MlpWeights {
  fc1: LinearWeights;
  fc2: LinearWeights;
}

export function makeMlpWeights(
  wf: WeightFactory,
  prefix: string,
  d: number,
  ffn: number,
  opts: { gain?: number; protect?: readonly Float32Array[] } = {},
): MlpWeights {
  return {
    fc1: wf.linear(`${prefix}.fc1`, d, ffn, { bias: true }),
    fc2: wf.linear(`${prefix}.fc2`, ffn, d, {
      bias: true,
      gain: opts.gain ?? 1,
      protect: opts.protect ?? [],
    }),
  };
}

export function mlp(g: GraphBuilder, x: string, w: MlpWeights, hint: string): string {
  const h = gelu(g, linear(g, x, w.fc1, `${hint}_fc1`), `${hint}_gelu`);
  return linear(g, h, w.fc2, `${hint}_fc2`);
}

/** Self/cross attention projections in Whisper's layout: k_proj is the one without a bias. */
export interface AttentionWeights {
  q: LinearWeights;
  k: LinearWeights;
  v: LinearWeights;
  out: LinearWeights;
}

export function makeAttentionWeights(
  wf: WeightFactory,
  prefix: string,
  d: number,
  opts: { outGain?: number; qkGain?: number; protect?: readonly Float32Array[] } = {},
): AttentionWeights {
  // Scaling q and k by g scales attention logits by g²: with unit gains, random
  // attention over 1500 encoder frames is almost uniform and carries no signal.
  const qk = opts.qkGain ?? 1;
  return {
    q: wf.linear(`${prefix}.q_proj`, d, d, { bias: true, gain: qk }),
    k: wf.linear(`${prefix}.k_proj`, d, d, { bias: false, gain: qk }),
    v: wf.linear(`${prefix}.v_proj`, d, d, { bias: true }),
    out: wf.linear(`${prefix}.out_proj`, d, d, {
      bias: true,
      gain: opts.outGain ?? 1,
      protect: opts.protect ?? [],
    }),
  };
}
