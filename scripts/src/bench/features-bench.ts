/**
 * Whisper log-mel features on 10 minutes of audio: Transformers.js's WhisperFeatureExtractor,
 * window by window on the main thread as its ASR pipeline calls it, against the GPU service's
 * LogMelExtractor (worker threads), given the whole batch of 30 s windows as the service would,
 * and once more on a single worker thread. Rounds alternate between them so a busy machine
 * slows all alike; medians are reported.
 */

import { WhisperFeatureExtractor } from '@huggingface/transformers';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { LogMelExtractor } from '@whisper-edge/gpu-service/log-mel/log-mel-extractor';

const WINDOW = 30 * SAMPLE_RATE;

/**
 * Deterministic speech-like audio: syllable-rate bursts of low-passed noise with pauses, over a
 * -60 dBFS noise floor as in any real recording. Without digital silence no frame takes the
 * extractor's all-zero shortcut, so this times its full path.
 */
function speechLikeAudio(seconds: number): Float32Array {
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const out = new Float32Array(seconds * SAMPLE_RATE);
  let lowPassed = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    const syllables = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
    const phrase = Math.sin(2 * Math.PI * 0.3 * t) > -0.3 ? 1 : 0;
    lowPassed += 0.3 * (random() * 2 - 1 - lowPassed);
    out[i] = 0.4 * syllables * phrase * lowPassed + 1e-3 * (random() * 2 - 1);
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

export async function featuresBench(
  options: { minutes?: number; nMels?: 80 | 128; rounds?: number } = {},
): Promise<void> {
  const minutes = options.minutes ?? 10;
  const nMels = options.nMels ?? 80;
  const rounds = options.rounds ?? 3;
  const audio = speechLikeAudio(minutes * 60);
  const windows = Array.from({ length: Math.ceil(audio.length / WINDOW) }, (_, i) =>
    audio.subarray(i * WINDOW, (i + 1) * WINDOW),
  );

  const reference = new WhisperFeatureExtractor({
    feature_size: nMels,
    sampling_rate: SAMPLE_RATE,
    hop_length: 160,
    chunk_length: 30,
    n_fft: 400,
    n_samples: WINDOW,
    nb_max_frames: 3000,
  });
  const ours = await LogMelExtractor.create({ nMels });
  // The same on one worker thread: how much is the algorithm, how much the second core.
  const oursOneThread = await LogMelExtractor.create({ nMels, threads: 1 });

  try {
    const referenceRun = async () => {
      const out: Float32Array[] = [];
      for (const w of windows) out.push((await reference(w)).input_features.data as Float32Array);
      return out;
    };
    // Warm-up (JIT, ORT session for the reference's mel MatMul, worker start-up) stays untimed.
    await reference(windows[0]!);
    await ours.extract(windows.slice(0, ours.threads));
    await oursOneThread.extract(windows.slice(0, 1));

    const timings = { reference: [] as number[], ours: [] as number[], oneThread: [] as number[] };
    let expected: Float32Array[] = [];
    let actual: Float32Array[] = [];
    for (let round = 0; round < rounds; round++) {
      timings.reference.push(await seconds(async () => (expected = await referenceRun())));
      timings.ours.push(await seconds(async () => (actual = await ours.extract(windows))));
      timings.oneThread.push(await seconds(() => oursOneThread.extract(windows)));
    }

    let maxDiff = 0;
    expected.forEach((e, w) => {
      const a = actual[w]!;
      for (let i = 0; i < e.length; i++) maxDiff = Math.max(maxDiff, Math.abs(e[i]! - a[i]!));
    });

    const ref = median(timings.reference);
    const own = median(timings.ours);
    const single = median(timings.oneThread);
    const perWindow = (s: number) => `${((s * 1000) / windows.length).toFixed(0)} ms/window`;
    console.log(`features (${minutes} min of audio, ${windows.length} windows of 30 s, ${nMels} mels)`);
    console.log(`  transformers.js WhisperFeatureExtractor: ${ref.toFixed(2)} s (${perWindow(ref)})`);
    console.log(
      `  ours (${ours.threads} worker threads, one batch): ${own.toFixed(2)} s (${perWindow(own)})`,
    );
    console.log(`  ratio: ${(ref / own).toFixed(1)}x faster`);
    console.log(
      `  ours on 1 worker thread: ${single.toFixed(2)} s (${perWindow(single)}, ${(ref / single).toFixed(1)}x faster)`,
    );
    console.log(`  max |difference|: ${maxDiff.toExponential(1)} (medians of ${rounds} alternating rounds)`);
  } finally {
    await Promise.all([ours.dispose(), oursOneThread.dispose()]);
  }
}
