/**
 * End to end on CPU with a generated model at whisper-base dimensions: our engine (30 s windows
 * without overlap, own decode loop) against the stock Transformers.js pipeline (`chunk_length_s: 30`,
 * default 5 s stride) on the same audio, at 32 and at 90 tokens per window (a full window of real
 * speech decodes about 90). End-of-text is suppressed on both sides, and the decoder steps of every
 * window are counted on the sessions themselves: the bench fails unless every window on both sides
 * took the same number of steps, so the ratio compares equal work per window. Our engine also runs the
 * q8 variant (int8 MatMul weights, see tiny-whisper/quantize-matmuls.ts), and its greedy tokens are
 * compared with fp32's on the same windows.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import type { WindowResult } from '@whisper-edge/gpu-service/whisper/decode-types';
import { decoderShape } from '@whisper-edge/gpu-service/whisper/decoder-runner';
import { encodeWindows } from '@whisper-edge/gpu-service/whisper/encode-windows';
import type { WhisperEngine } from '@whisper-edge/gpu-service/whisper/whisper-engine';
import { speechClipSamples } from '../test-support/speech-clip.js';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';
import { type BenchEngine, loadBenchEngine } from './bench-engine.js';
import { decoderStepBytes } from './decoder-step-bytes.js';
import { cachedStepSeconds } from './decoder-step-time.js';
import { memoryBandwidth } from './memory-bandwidth.js';
import { StepCounter } from './step-counter.js';
import { type WhisperCppTimes, whisperCppTimes } from './whisper-cpp-peer.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const WINDOW = 30 * SAMPLE_RATE;

/** The speech clip repeated with 1 s pauses, decoded by ffmpeg to 16 kHz mono float. */
export function benchAudio(minutes: number): Float32Array {
  const clip = speechClipSamples();
  const out = new Float32Array(minutes * 60 * SAMPLE_RATE);
  const period = clip.length + SAMPLE_RATE;
  for (let offset = 0; offset < out.length; offset += period)
    out.set(clip.subarray(0, Math.min(clip.length, out.length - offset)), offset);
  return out;
}

/**
 * The stock pipeline's own loop (automatic-speech-recognition `_call_whisper` with chunk_length_s 30
 * and its default stride of 5 s): overlapping chunks, features and generate one chunk at a time. Its
 * final merge step is left out: on a random model's never-ending output it throws, and it costs
 * nothing next to generation.
 */
/** Where the stock loop's chunks start: every 20 s (30 s chunks, 5 s stride on each side). */
function stockChunkStarts(length: number): number[] {
  const starts: number[] = [];
  for (let offset = 0; ; offset += WINDOW - 2 * 5 * SAMPLE_RATE) {
    starts.push(offset);
    if (offset + WINDOW >= length) return starts;
  }
}

async function stockLoop(
  transcriber: AutomaticSpeechRecognitionPipeline,
  audio: Float32Array,
  tokens: number,
) {
  for (const offset of stockChunkStarts(audio.length)) {
    const { input_features } = (await transcriber.processor(audio.subarray(offset, offset + WINDOW))) as {
      input_features: unknown;
    };
    await (transcriber.model.generate as (args: Record<string, unknown>) => Promise<unknown>).call(
      transcriber.model,
      { inputs: input_features, language: 'en', task: 'transcribe', max_new_tokens: tokens },
    );
  }
}

function ourLoop(engine: WhisperEngine, windows: Float32Array[], tokens: number) {
  return engine.transcribeWindows(windows, {
    language: 'en',
    task: 'transcribe',
    withTimestamps: false,
    temperatures: [0],
    maxNewTokens: tokens,
  });
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

export interface EngineBenchOptions {
  minutes?: number;
  tokensPerWindow?: number[];
  /** Runs of each measurement; the fastest counts. Default 2. */
  rounds?: number;
  /** Leave whisper.cpp out (its benchmark takes minutes with the prebuilt addon). */
  skipPeer?: boolean;
}

interface Side {
  label: string;
  /** Windows (stock: overlapping chunks) decoded per run. */
  windows: number;
  seconds: Map<number, number>;
}

/** How many windows decode to exactly the same tokens, and how many tokens agree before the first difference. */
function agreement(a: WindowResult[], b: WindowResult[]): string {
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
  return `${same}/${a.length} windows token-for-token equal to fp32, ${prefix}/${total} tokens before the first difference`;
}

/**
 * Per-token decode cost next to its floor: the bytes a cached step must read (decoder-step-bytes.ts)
 * over the memory bandwidth measured now (memory-bandwidth.ts). Cost two ways: end to end, from the
 * difference between two token counts (encoder, features and prompt cancel out), and the cached step
 * alone, both decoders taking turns.
 */
async function printPerTokenCost(run: {
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
async function printPeer(run: {
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
      encoders[i]! * 1000,
      run.perToken[i]! * 1000,
      (tokens) => (side.seconds.get(tokens)! / side.windows) * 1000,
    );
  const [f16, q80] = peer;
  if (!f16 || !q80) return;
  for (const tokens of run.tokenCounts) {
    const ours = run.sides.map((side) => (side.seconds.get(tokens)! / side.windows) * 1000);
    const cost = (p: WhisperCppTimes) => p.encodeMs + tokens * p.decodeMs;
    console.log(
      `  ratio at ${tokens} tokens per window: ours fp32 vs whisper.cpp f16 ${(cost(f16!) / ours[0]!).toFixed(2)}x, ours q8 vs whisper.cpp q8_0 ${(cost(q80!) / ours[1]!).toFixed(2)}x (above 1: we are faster)`,
    );
  }
  console.log(`  whisper.cpp built with: ${f16.config.trim()}`);
}

export async function engineBench(options: EngineBenchOptions = {}): Promise<void> {
  const minutes = options.minutes ?? 10;
  const rounds = options.rounds ?? 2;
  const tokenCounts = options.tokensPerWindow ?? [32, 90];
  const dir = path.join(root, 'fixtures/models/whisper-base-random');
  await generateTinyWhisper({ outDir: dir, preset: 'base', seed: 3 });
  const fp32 = await loadBenchEngine(dir, { neverStop: true });
  const q8 = await loadBenchEngine(dir, { neverStop: true, dtype: 'q8' });
  const counters = [fp32, q8].map(
    ({ whisper }) => new StepCounter(whisper.sessions.encoder, whisper.sessions.decoder),
  );
  const audio = benchAudio(minutes);
  const seconds = audio.length / SAMPLE_RATE;
  const windows: Float32Array[] = [];
  for (let s = 0; s < audio.length; s += WINDOW) windows.push(audio.subarray(s, s + WINDOW));

  // Every path once, off the clock: sessions allocate on their first runs.
  await stockLoop(fp32.transcriber, audio.subarray(0, WINDOW), 4);
  for (const side of [fp32, q8]) await ourLoop(side.engine, [windows[0]!], 4);

  const stock: Side = {
    label: 'stock pipeline, fp32',
    windows: stockChunkStarts(audio.length).length,
    seconds: new Map(),
  };
  const ours: Side = { label: 'our engine, fp32', windows: windows.length, seconds: new Map() };
  const oursQ8: Side = {
    label: 'our engine, q8 decoder+encoder',
    windows: windows.length,
    seconds: new Map(),
  };
  /** Runs one side, checking its decoder steps: exactly `tokens` for every window it decodes. */
  const measure = async (side: Side, counter: StepCounter, tokens: number, run: () => Promise<unknown>) => {
    counter.reset();
    let result: unknown;
    // The best of the rounds: a shared machine only ever makes a run slower.
    let taken = Number.POSITIVE_INFINITY;
    for (let round = 0; round < rounds; round++) {
      counter.reset();
      taken = Math.min(
        taken,
        await timed(async () => {
          result = await run();
        }),
      );
    }
    side.seconds.set(tokens, taken);
    const steps = counter.summary();
    if (counter.perWindow.length !== side.windows || counter.perWindow.some((n) => n !== tokens))
      throw new Error(
        `unequal work: ${side.label} took ${steps} decoder steps per window, not ${tokens} × ${side.windows}`,
      );
    console.log(
      `  ${side.label.padEnd(31)} ${String(side.windows).padStart(3)} windows: ${taken.toFixed(1).padStart(6)} s, ${(seconds / taken).toFixed(1).padStart(5)}x real time, ${((taken / side.windows) * 1000).toFixed(0).padStart(5)} ms/window; steps per window: ${steps}`,
    );
    return result;
  };

  try {
    for (const tokens of tokenCounts) {
      console.log(
        `end to end (whisper-base-sized random model, CPU, ${minutes} min of audio, ${tokens} tokens per window, best of ${rounds})`,
      );
      await measure(stock, counters[0]!, tokens, () => stockLoop(fp32.transcriber, audio, tokens));
      const reference = (await measure(ours, counters[0]!, tokens, () =>
        ourLoop(fp32.engine, windows, tokens),
      )) as WindowResult[];
      const quantised = (await measure(oursQ8, counters[1]!, tokens, () =>
        ourLoop(q8.engine, windows, tokens),
      )) as WindowResult[];
      const perWindow = (side: Side) => side.seconds.get(tokens)! / side.windows;
      console.log(
        `  ratio: ${(stock.seconds.get(tokens)! / ours.seconds.get(tokens)!).toFixed(2)}x faster end to end (${(perWindow(stock) / perWindow(ours)).toFixed(2)}x per window); q8: ${(stock.seconds.get(tokens)! / oursQ8.seconds.get(tokens)!).toFixed(2)}x (${(perWindow(stock) / perWindow(oursQ8)).toFixed(2)}x per window)`,
      );
      console.log(`  q8 fidelity (greedy, same windows): ${agreement(reference, quantised)}`);
    }
    const perToken = await printPerTokenCost({
      dir,
      tokenCounts,
      sides: [stock, ours, oursQ8],
      fp32,
      q8,
      window: windows[0]!,
    });
    if (!options.skipPeer)
      await printPeer({ dir, tokenCounts, sides: [ours, oursQ8], perToken, fp32, q8, window: windows[0]! });
    // Other work on the machine slows both sides alike, but not the absolute figures: say how busy it was.
    console.log(
      `load average at the end (1/5/15 min): ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} on ${availableParallelism()} CPUs`,
    );
  } finally {
    for (const counter of counters) counter.dispose();
    await Promise.all([fp32.features.dispose(), q8.features.dispose()]);
  }
}
