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
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { type Dtype, encoderBatchIsExact } from '@whisper-edge/gpu-service/models/dtype-map';
import type { WindowResult } from '@whisper-edge/gpu-service/whisper/decode-types';
import { WhisperEngine } from '@whisper-edge/gpu-service/whisper/whisper-engine';
import { speechClipSamples } from '../test-support/speech-clip.js';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';
import { type BenchEngine, loadBenchEngine } from './bench-engine.js';
import { agreement, printPeer, printPerTokenCost, type Side, timed } from './engine-bench-report.js';
import { StepCounter } from './step-counter.js';

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

/** Our engine at another batch size on the same sessions and features (continuous batching). */
function batchedEngine(side: BenchEngine, batchSize: number, dtype: Dtype): WhisperEngine {
  return new WhisperEngine(side.whisper, side.features, {
    batchSize,
    encoderBatchSize: encoderBatchIsExact(dtype) ? batchSize : 1,
  });
}

export interface EngineBenchOptions {
  minutes?: number;
  tokensPerWindow?: number[];
  /** Runs of each measurement; the fastest counts. Default 2. */
  rounds?: number;
  /** Leave whisper.cpp out (its benchmark takes minutes with the prebuilt addon). */
  skipPeer?: boolean;
  /** Our engine's batch size beside 1 (the CPU default, BATCH_SIZE). */
  batch?: number;
}

/**
 * Runs one side `rounds` times and keeps the fastest, then proves the work: every window decoded
 * exactly `tokens` steps (stock: counted per window on the sessions; ours, whose windows share
 * batched steps, from each window's tokens and the rows of all decoder runs together).
 */
async function measure(
  side: Side,
  counter: StepCounter,
  tokens: number,
  rounds: number,
  run: () => Promise<WindowResult[] | undefined>,
): Promise<WindowResult[] | undefined> {
  let result: WindowResult[] | undefined;
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
  // Stock: counted per window. Ours: windows share batched steps, so the rows of all decoder runs are
  // added up; no window can take more than `tokens` steps (maxNewTokens, end-of-text suppressed), so
  // a total of tokens × windows means every window took exactly `tokens`.
  const rows = counter.rowSteps;
  const perWindowOk = result
    ? true
    : counter.perWindow.length === side.windows && counter.perWindow.every((n) => n === tokens);
  if (!perWindowOk || rows !== side.windows * tokens || (result && result.length !== side.windows))
    throw new Error(
      `unequal work: ${side.label} decoded ${rows} window-steps (${counter.summary()}), not ${tokens} × ${side.windows}`,
    );
  const seconds = side.audioSeconds;
  console.log(
    `  ${side.label.padEnd(34)} ${String(side.windows).padStart(3)} windows: ${taken.toFixed(1).padStart(6)} s, ${(seconds / taken).toFixed(1).padStart(5)}x real time, ${((taken / side.windows) * 1000).toFixed(0).padStart(5)} ms/window; ${rows} window-steps = ${tokens} × ${side.windows}${result ? '' : ` (${counter.summary()})`}`,
  );
  return result;
}

export async function engineBench(options: EngineBenchOptions = {}): Promise<void> {
  const minutes = options.minutes ?? 10;
  const rounds = options.rounds ?? 2;
  const batch = options.batch ?? 4;
  const tokenCounts = options.tokensPerWindow ?? [32, 90];
  const dir = path.join(root, 'fixtures/models/whisper-base-random');
  await generateTinyWhisper({ outDir: dir, preset: 'base', seed: 3 });
  const fp32 = await loadBenchEngine(dir, { neverStop: true });
  const q8 = await loadBenchEngine(dir, { neverStop: true, dtype: 'q8' });
  const counters = [fp32, q8].map(
    ({ whisper }) => new StepCounter(whisper.sessions.encoder, whisper.sessions.decoder),
  );
  const audio = benchAudio(minutes);
  const audioSeconds = audio.length / SAMPLE_RATE;
  const windows: Float32Array[] = [];
  for (let s = 0; s < audio.length; s += WINDOW) windows.push(audio.subarray(s, s + WINDOW));
  const batched = [batchedEngine(fp32, batch, 'fp32'), batchedEngine(q8, batch, 'q8')];

  // Every path once, off the clock: sessions allocate on their first runs.
  await stockLoop(fp32.transcriber, audio.subarray(0, WINDOW), 4);
  for (const engine of [fp32.engine, q8.engine, ...batched])
    await ourLoop(engine, windows.slice(0, batch), 4);

  const side = (label: string, count: number): Side => ({
    label,
    windows: count,
    seconds: new Map(),
    audioSeconds,
  });
  const stock = side('stock pipeline, fp32', stockChunkStarts(audio.length).length);
  const ours = side('our engine, fp32', windows.length);
  const oursQ8 = side('our engine, q8 decoder+encoder', windows.length);
  const oursBatched = side(`our engine, fp32, batch ${batch}`, windows.length);
  const oursQ8Batched = side(`our engine, q8, batch ${batch}`, windows.length);

  try {
    for (const tokens of tokenCounts) {
      console.log(
        `end to end (whisper-base-sized random model, CPU, ${minutes} min of audio, ${tokens} tokens per window, best of ${rounds})`,
      );
      await measure(stock, counters[0]!, tokens, rounds, async () => {
        await stockLoop(fp32.transcriber, audio, tokens);
        return undefined;
      });
      const run = (engine: WhisperEngine) => () => ourLoop(engine, windows, tokens);
      const reference = await measure(ours, counters[0]!, tokens, rounds, run(fp32.engine));
      const quantised = await measure(oursQ8, counters[1]!, tokens, rounds, run(q8.engine));
      const together = [
        await measure(oursBatched, counters[0]!, tokens, rounds, run(batched[0]!)),
        await measure(oursQ8Batched, counters[1]!, tokens, rounds, run(batched[1]!)),
      ];
      const ratio = (s: Side) =>
        `${(stock.seconds.get(tokens)! / s.seconds.get(tokens)!).toFixed(2)}x (${(stock.seconds.get(tokens)! / stock.windows / (s.seconds.get(tokens)! / s.windows)).toFixed(2)}x per window)`;
      console.log(
        `  ratio to stock: fp32 ${ratio(ours)}, q8 ${ratio(oursQ8)}; batch ${batch}: fp32 ${ratio(oursBatched)}, q8 ${ratio(oursQ8Batched)}`,
      );
      console.log(`  q8 against fp32 (greedy, same windows): ${agreement(reference!, quantised!)}`);
      console.log(
        `  batch ${batch} vs one at a time: fp32 ${agreement(reference!, together[0]!)}; q8 ${agreement(quantised!, together[1]!)}`,
      );
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
      await printPeer({
        dir,
        tokenCounts,
        sides: [ours, oursQ8, oursBatched, oursQ8Batched],
        perToken,
        fp32,
        q8,
        window: windows[0]!,
      });
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
