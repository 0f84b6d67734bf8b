/**
 * End to end on CPU with a generated model at whisper-base dimensions: our engine (30 s windows
 * without overlap, own decode loop) against the stock Transformers.js pipeline (`chunk_length_s: 30`,
 * default 5 s stride) on the same audio, at 32 and at 90 tokens per window (a full window of real
 * speech decodes about 90). End-of-text is suppressed on both sides, and the decoder steps of every
 * window are counted on the sessions themselves: the bench fails unless every window on both sides
 * took the same number of steps, so the ratio compares equal work per window.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import type { WhisperEngine } from '@whisper-edge/gpu-service/whisper/whisper-engine';
import { speechClipSamples } from '../test-support/speech-clip.js';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';
import { loadBenchEngine } from './bench-engine.js';
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
 * nothing next to generation. Returns the chunks decoded.
 */
async function stockLoop(
  transcriber: AutomaticSpeechRecognitionPipeline,
  audio: Float32Array,
  tokens: number,
): Promise<number> {
  const stride = 5 * SAMPLE_RATE;
  let chunks = 0;
  for (let offset = 0; ; offset += WINDOW - 2 * stride) {
    const { input_features } = (await transcriber.processor(audio.subarray(offset, offset + WINDOW))) as {
      input_features: unknown;
    };
    await (transcriber.model.generate as (args: Record<string, unknown>) => Promise<unknown>).call(
      transcriber.model,
      { inputs: input_features, language: 'en', task: 'transcribe', max_new_tokens: tokens },
    );
    chunks++;
    if (offset + WINDOW >= audio.length) break;
  }
  return chunks;
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
}

export async function engineBench(options: EngineBenchOptions = {}): Promise<void> {
  const minutes = options.minutes ?? 10;
  const dir = path.join(root, 'fixtures/models/whisper-base-random');
  await generateTinyWhisper({ outDir: dir, preset: 'base', seed: 3 });
  const { transcriber, whisper, engine, features } = await loadBenchEngine(dir, { neverStop: true });
  const counter = new StepCounter(whisper.sessions.encoder, whisper.sessions.decoder);
  const audio = benchAudio(minutes);
  const seconds = audio.length / SAMPLE_RATE;
  const windows: Float32Array[] = [];
  for (let s = 0; s < audio.length; s += WINDOW) windows.push(audio.subarray(s, s + WINDOW));

  // Both paths once, off the clock: sessions allocate on their first runs.
  await stockLoop(transcriber, audio.subarray(0, WINDOW), 4);
  await ourLoop(engine, [windows[0]!], 4);

  try {
    for (const tokens of options.tokensPerWindow ?? [32, 90]) {
      counter.reset();
      let chunks = 0;
      const stock = await timed(async () => {
        chunks = await stockLoop(transcriber, audio, tokens);
      });
      const stockSteps = [...counter.perWindow];
      const stockSummary = counter.summary();
      counter.reset();
      const ours = await timed(() => ourLoop(engine, windows, tokens));
      const ourSteps = [...counter.perWindow];
      const ourSummary = counter.summary();

      console.log(
        `end to end (whisper-base-sized random model, CPU, ${minutes} min of audio, ${tokens} tokens per window)`,
      );
      console.log(
        `  stock pipeline (${chunks} chunks of 30 s, 5 s stride): ${stock.toFixed(1)} s, ${(seconds / stock).toFixed(1)}x real time, ${((stock / chunks) * 1000).toFixed(0)} ms/window; decoder steps per window: ${stockSummary}`,
      );
      console.log(
        `  our engine (${windows.length} windows, no overlap): ${ours.toFixed(1)} s, ${(seconds / ours).toFixed(1)}x real time, ${((ours / windows.length) * 1000).toFixed(0)} ms/window; decoder steps per window: ${ourSummary}`,
      );
      const distinct = new Set([...stockSteps, ...ourSteps]);
      if (distinct.size !== 1 || stockSteps.length !== chunks || ourSteps.length !== windows.length)
        throw new Error(
          `unequal work: decoder steps per window differ (stock ${stockSummary}; ours ${ourSummary})`,
        );
      console.log(
        `  ratio: ${(stock / ours).toFixed(2)}x faster end to end; ${(stock / chunks / (ours / windows.length)).toFixed(2)}x per window`,
      );
    }
  } finally {
    counter.dispose();
    await features.dispose();
  }
}
