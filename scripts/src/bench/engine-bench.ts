/**
 * End to end on CPU with a generated model at whisper-base dimensions: our engine (30 s windows
 * without overlap, own decode loop) against the stock Transformers.js pipeline (`chunk_length_s: 30`,
 * default 5 s stride) on the same 10 minutes of audio. Both decode a fixed number of tokens per window
 * (end-of-text is suppressed on both sides) so the work per window is the same.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { speechClipSamples } from '../test-support/speech-clip.js';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';
import { loadBenchEngine } from './bench-engine.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** 10 minutes: the speech clip repeated with pauses, decoded by ffmpeg to 16 kHz mono float. */
export function benchAudio(minutes: number): Float32Array {
  const clip = speechClipSamples();
  const out = new Float32Array(minutes * 60 * SAMPLE_RATE);
  const period = clip.length + SAMPLE_RATE; // 1 s of silence between repeats
  for (let offset = 0; offset < out.length; offset += period)
    out.set(clip.subarray(0, Math.min(clip.length, out.length - offset)), offset);
  return out;
}

export async function engineBench(
  options: { minutes?: number; tokensPerWindow?: number } = {},
): Promise<void> {
  const minutes = options.minutes ?? 10;
  const tokens = options.tokensPerWindow ?? 32;
  const dir = path.join(root, 'fixtures/models/whisper-base-random');
  await generateTinyWhisper({ outDir: dir, preset: 'base', seed: 3 });
  const { transcriber, whisper, engine } = await loadBenchEngine(dir);
  // The pipeline's own object: the stock side reads it on every generate.
  const generationConfig = whisper.generationConfig;
  // Same work per window on both sides: never stop early.
  generationConfig.suppress_tokens = [
    ...(generationConfig.suppress_tokens ?? []),
    ...[generationConfig.eos_token_id ?? []].flat(),
  ];
  const audio = benchAudio(minutes);
  const seconds = audio.length / SAMPLE_RATE;

  // The stock pipeline's own loop (automatic-speech-recognition `_call_whisper` with chunk_length_s 30
  // and its default stride of 5 s): overlapping chunks, features and generate one chunk at a time. Its
  // final merge step is left out: on a random model's never-ending output it throws, and it costs
  // nothing next to generation.
  const stockStart = performance.now();
  const window = 30 * SAMPLE_RATE;
  const stride = 5 * SAMPLE_RATE;
  let chunks = 0;
  for (let offset = 0; ; offset += window - 2 * stride) {
    const { input_features } = (await transcriber.processor(audio.subarray(offset, offset + window))) as {
      input_features: unknown;
    };
    await (transcriber.model.generate as (args: Record<string, unknown>) => Promise<unknown>).call(
      transcriber.model,
      {
        inputs: input_features,
        language: 'en',
        task: 'transcribe',
        max_new_tokens: tokens,
      },
    );
    chunks++;
    if (offset + window >= audio.length) break;
  }
  const stock = (performance.now() - stockStart) / 1000;

  const windows: Float32Array[] = [];
  for (let s = 0; s < audio.length; s += 30 * SAMPLE_RATE)
    windows.push(audio.subarray(s, s + 30 * SAMPLE_RATE));
  const oursStart = performance.now();
  await engine.transcribeWindows(windows, {
    language: 'en',
    task: 'transcribe',
    withTimestamps: false,
    temperatures: [0],
    maxNewTokens: tokens,
  });
  const ours = (performance.now() - oursStart) / 1000;

  console.log(
    `end to end (whisper-base-sized random model, CPU, ${minutes} min of audio, ${tokens} tokens per window)`,
  );
  console.log(
    `  stock pipeline (${chunks} chunks of 30 s, 5 s stride): ${stock.toFixed(1)} s, ${(seconds / stock).toFixed(1)}x real time`,
  );
  console.log(
    `  our engine (${windows.length} windows, no overlap): ${ours.toFixed(1)} s, ${(seconds / ours).toFixed(1)}x real time`,
  );
  console.log(`  ratio: ${(stock / ours).toFixed(2)}x faster`);
}
