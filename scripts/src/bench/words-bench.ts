/**
 * Word timestamps, old way against new, on CPU: the engine's decode plus a second, stock-pipeline
 * decode of every window with `return_timestamps: 'word'` (what transcribe.ts did), against the
 * engine's single decode that aligns words from its own cross-attention. The engine without words is
 * printed too, so the alignment's own cost shows.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { tokenStartTimes } from '@whisper-edge/gpu-service/whisper/cross-attention-dtw';
import type { DecodeOptions } from '@whisper-edge/gpu-service/whisper/decode-types';
import { ensureTestModel } from '../test-model.js';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';
import { loadBenchEngine } from './bench-engine.js';
import { benchAudio } from './engine-bench.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Best of `rounds` runs of each variant, interleaved (a, b, c, a, b, c, …) so a busy shared CPU or a
 * warming cache favours none of them.
 */
async function bestOf(
  rounds: number,
  variants: [() => Promise<unknown>, () => Promise<unknown>, () => Promise<unknown>],
): Promise<[number, number, number]> {
  const best: [number, number, number] = [Infinity, Infinity, Infinity];
  for (let round = 0; round < rounds; round++) {
    for (const [i, run] of variants.entries()) {
      const started = performance.now();
      await run();
      best[i] = Math.min(best[i]!, (performance.now() - started) / 1000);
    }
  }
  return best;
}

async function compare(dir: string, label: string, windowCount: number): Promise<void> {
  const { transcriber, engine, features } = await loadBenchEngine(dir);
  // 30 s windows of the speech clip repeated with pauses, as the service cuts long audio.
  const audio = benchAudio(Math.ceil(windowCount / 2));
  const windows = Array.from({ length: windowCount }, (_, i) =>
    audio.subarray(i * 30 * SAMPLE_RATE, (i + 1) * 30 * SAMPLE_RATE),
  );
  const options: DecodeOptions = {
    language: 'en',
    task: 'transcribe',
    withTimestamps: true,
    temperatures: [0],
  };

  // Warm both paths once (session first-run allocations), off the clock.
  await engine.transcribeWindows([windows[0]!], { ...options, withWords: true, maxNewTokens: 8 });
  await transcriber(windows[0]!, { language: 'en', task: 'transcribe', return_timestamps: 'word' });

  let words = 0;
  const [plain, twoPass, single] = await bestOf(3, [
    () => engine.transcribeWindows(windows, options),
    async () => {
      await engine.transcribeWindows(windows, options);
      for (const window of windows)
        await transcriber(window, { language: 'en', task: 'transcribe', return_timestamps: 'word' });
    },
    async () => {
      const results = await engine.transcribeWindows(windows, { ...options, withWords: true });
      words = results.reduce((n, r) => n + (r.words?.length ?? 0), 0);
    },
  ]);
  await features.dispose();

  console.log(
    `word timestamps (${label}, CPU, ${windowCount} windows of 30 s, ${words} words; best of 3 interleaved runs)`,
  );
  console.log(`  engine, no words:                  ${plain.toFixed(2)} s`);
  console.log(`  old: engine + stock word pass:     ${twoPass.toFixed(2)} s`);
  console.log(`  new: engine with words, one pass:  ${single.toFixed(2)} s`);
  console.log(
    `  ratio old/new: ${(twoPass / single).toFixed(2)}x; words cost ${((single / plain - 1) * 100).toFixed(0)}% over no words`,
  );
}

/**
 * The alignment's worst case per window, apart from decoding: a full 30 s window (1500 frames) with
 * 224 tokens and 6 alignment heads, on random attention (real checkpoints keep 6 to 20 heads).
 */
function alignmentCost(): void {
  const tokens = 224;
  const heads = 6;
  let seed = 1;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const attention = () =>
    Array.from({ length: heads }, () =>
      Array.from({ length: tokens + 4 }, () => Float32Array.from({ length: 1500 }, random)),
    );
  tokenStartTimes({ heads: attention(), promptLength: 4, medianWidth: 7 });
  const runs = 5;
  let total = 0;
  for (let i = 0; i < runs; i++) {
    const input = attention();
    const started = performance.now();
    tokenStartTimes({ heads: input, promptLength: 4, medianWidth: 7 });
    total += performance.now() - started;
  }
  console.log(
    `alignment alone, ${tokens} tokens × 1500 frames × ${heads} heads: ${(total / runs).toFixed(0)} ms per window`,
  );
}

export async function wordsBench(options: { windows?: number; base?: boolean } = {}): Promise<void> {
  alignmentCost();
  const windows = options.windows ?? 6;
  const testDir = await ensureTestModel();
  await compare(testDir, 'generated test model', windows);
  if (options.base ?? true) {
    const baseDir = path.join(root, 'fixtures/models/whisper-base-random');
    await generateTinyWhisper({ outDir: baseDir, preset: 'base', seed: 3 });
    await compare(baseDir, 'whisper-base-sized random model', windows);
  }
}
