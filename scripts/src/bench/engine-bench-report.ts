/**
 * What the engine bench prints beside its end-to-end runs: q8's agreement with fp32, the per-token
 * cost next to its memory-bandwidth floor, and whisper.cpp on the same weights.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { WindowResult } from '@whisper-edge/gpu-service/whisper/decode-types';
import { decoderShape } from '@whisper-edge/gpu-service/whisper/decoder-runner';
import { encodeWindows } from '@whisper-edge/gpu-service/whisper/encode-windows';
import type { BenchEngine } from './bench-engine.js';
import { decoderStepBytes } from './decoder-step-bytes.js';
import { cachedStepSeconds } from './decoder-step-time.js';
import { memoryBandwidth } from './memory-bandwidth.js';
import { type WhisperCppTimes, whisperCppTimes } from './whisper-cpp-peer.js';

export interface Side {
  label: string;
  /** Windows (stock: overlapping chunks) decoded per run. */
  windows: number;
  seconds: Map<number, number>;
  /** Seconds of audio each run transcribes. */
  audioSeconds: number;
}

export async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/** How many windows decode to exactly the same tokens, and how many tokens agree before the first difference. */
export function agreement(a: WindowResult[], b: WindowResult[]): string {
  let same = 0;
  let prefix = 0;
  let total = 0;
  for (const [i, x] of a.entries()) {
    const y = b[i]!.tokens;
    let k = 0;
    while (k < x.tokens.length && x.tokens[k] === y[k]) k++;
    if (k === x.tokens.length && k === y.length) same++;
    prefix += k;
    total += x.tokens.length;
  }
  return `${same}/${a.length} windows token-for-token equal, ${prefix}/${total} tokens before the first difference`;
}

/**
 * Per-token decode cost next to its floor: the bytes a cached step must read (decoder-step-bytes.ts)
 * over the memory bandwidth measured now (memory-bandwidth.ts). Cost two ways: end to end, from the
 * difference between two token counts (encoder, features and prompt cancel out), and the cached step
 * alone, both decoders taking turns.
 */
export async function printPerTokenCost(run: {
  dir: string;
  tokenCounts: number[];
  sides: Side[];
  fp32: BenchEngine;
  q8: BenchEngine;
  window: Float32Array;
}): Promise<number[]> {
  const threads = availableParallelism();
  const bandwidth = await memoryBandwidth(threads);
  const config = run.fp32.whisper.config;
  const shape = decoderShape(config);
  const encoded = await encodeWindows(run.fp32.whisper, run.fp32.features, [run.window]);
  const alone = await cachedStepSeconds(
    [run.fp32.whisper.sessions.decoder, run.q8.whisper.sessions.decoder],
    encoded,
    shape,
  );
  const [low, high] = [Math.min(...run.tokenCounts), Math.max(...run.tokenCounts)];
  console.log(
    `per-token decode cost (memory bandwidth measured now: ${(bandwidth / 1e9).toFixed(1)} GB/s on ${threads} threads)`,
  );
  const endToEnd = (side: Side) =>
    high > low
      ? (side.seconds.get(high)! - side.seconds.get(low)!) / side.windows / (high - low)
      : Number.NaN;
  // A difference of two runs: on a busy machine it can come out at nothing or below; then it says so.
  const ms = (s: number) => (s > 0 ? `${(s * 1000).toFixed(1)} ms` : 'n/a (runs too noisy)');
  console.log(`  ${run.sides[0]!.label.padEnd(31)} ${ms(endToEnd(run.sides[0]!))}/token end to end`);
  for (const [i, file] of ['decoder_model_merged.onnx', 'decoder_model_merged_quantized.onnx'].entries()) {
    const side = run.sides[i + 1]!;
    const bytes = decoderStepBytes(await readFile(path.join(run.dir, 'onnx', file)), {
      layers: shape.layers,
      dModel: config.d_model,
      frames: encoded.dims[1]!,
      position: (low + high) / 2,
    });
    const floor = (bytes.weights + bytes.caches) / bandwidth;
    console.log(
      `  ${side.label.padEnd(31)} ${ms(endToEnd(side))}/token end to end, ${ms(alone[i]!)} the cached step alone; floor ${ms(floor)} (${((bytes.weights + bytes.caches) / 1e6).toFixed(0)} MB a step: weights ${(bytes.weights / 1e6).toFixed(0)} MB, caches ${(bytes.caches / 1e6).toFixed(0)} MB): the step alone ${(alone[i]! / floor).toFixed(2)}x the floor${endToEnd(side) > 0 ? `, end to end ${(endToEnd(side) / floor).toFixed(2)}x` : ''}`,
    );
  }
  return alone;
}

/** Best of three runs of features + encoder on one window, in seconds. */
async function encoderSeconds(side: BenchEngine, window: Float32Array): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++)
    best = Math.min(best, await timed(() => encodeWindows(side.whisper, side.features, [window])));
  return best;
}

/**
 * whisper.cpp on the same weights (exported to ggml), same threads: its own benchmark gives encoder
 * per window and decoder per token; a window at N tokens is costed as encoder + N steps for it, and
 * for us as measured end to end (features, encoder, prompt, N steps) per window.
 */
export async function printPeer(run: {
  dir: string;
  tokenCounts: number[];
  sides: Side[];
  perToken: number[];
  fp32: BenchEngine;
  q8: BenchEngine;
  window: Float32Array;
}): Promise<void> {
  const threads = availableParallelism();
  console.log(`whisper.cpp on the same weights (ggml export of the generated model), ${threads} threads`);
  const peer = await whisperCppTimes(run.dir, threads);
  if (!peer) return;
  const encoders = [await encoderSeconds(run.fp32, run.window), await encoderSeconds(run.q8, run.window)];
  const row = (label: string, encodeMs: number, decodeMs: number, windowMs: (tokens: number) => number) =>
    console.log(
      `  ${label.padEnd(31)} encoder ${encodeMs.toFixed(0).padStart(5)} ms/window, decoder ${decodeMs.toFixed(1).padStart(5)} ms/token; ${run.tokenCounts.map((t) => `${t} tokens: ${windowMs(t).toFixed(0)} ms/window`).join(', ')}`,
    );
  for (const p of peer)
    row(`whisper.cpp ${p.type}`, p.encodeMs, p.decodeMs, (tokens) => p.encodeMs + tokens * p.decodeMs);
  for (const [i, side] of run.sides.entries())
    row(
      `${side.label} (features+encoder)`,
      // Sides alternate fp32, q8 (one at a time, then batched): one window's encoder and step each.
      encoders[i % 2]! * 1000,
      run.perToken[i % 2]! * 1000,
      (tokens) => (side.seconds.get(tokens)! / side.windows) * 1000,
    );
  const [f16, q80] = peer;
  if (!f16 || !q80) return;
  for (const tokens of run.tokenCounts) {
    const ours = run.sides.map((side) => (side.seconds.get(tokens)! / side.windows) * 1000);
    const cost = (p: WhisperCppTimes) => p.encodeMs + tokens * p.decodeMs;
    console.log(
      `  ratio at ${tokens} tokens per window: ours fp32 vs whisper.cpp f16 ${(cost(f16!) / ours[0]!).toFixed(2)}x, ours q8 vs whisper.cpp q8_0 ${(cost(q80!) / ours[1]!).toFixed(2)}x${ours[3] ? `, ours q8 batched vs whisper.cpp q8_0 ${(cost(q80!) / ours[3]).toFixed(2)}x` : ''} (above 1: we are faster)`,
    );
  }
  console.log(`  whisper.cpp built with: ${f16.config.trim()}`);
}
