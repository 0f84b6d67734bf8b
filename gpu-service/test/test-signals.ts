/**
 * Deterministic test audio shared by the feature tests (no heavy imports, so the FFT tests
 * stay quick to load). Not used by the service itself.
 */

import { SAMPLE_RATE } from '../src/audio/sample-rate.js';
import { N_SAMPLES } from '../src/audio/whisper-audio.js';
import { mulberry32 } from '../src/whisper/seeded-random.js';

/** The same "random" audio on every run and machine (the engine's own mulberry32). */
export const seededRandom = mulberry32;

export function noise(seconds: number, seed: number, amplitude = 0.3): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from(
    { length: Math.round(seconds * SAMPLE_RATE) },
    () => (random() * 2 - 1) * amplitude,
  );
}

/**
 * A pure tone plus a linear chirp: strong narrow peaks next to bins ~80 dB down, the case
 * where float32 spectral arithmetic drifts from the float64 reference.
 */
export function chirpAndSine(seconds: number): Float32Array {
  const length = Math.round(seconds * SAMPLE_RATE);
  return Float32Array.from({ length }, (_, i) => {
    const t = i / SAMPLE_RATE;
    const chirpHz = 100 + (3000 * t) / seconds;
    return 0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * chirpHz * t);
  });
}

/** Noise shaped like speech: syllable-rate bursts of low-passed noise with pauses. */
export function speechLikeNoise(seconds: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  let lowPassed = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    const envelope =
      Math.max(0, Math.sin(2 * Math.PI * 4 * t)) * (Math.sin(2 * Math.PI * 0.3 * t) > -0.3 ? 1 : 0);
    lowPassed += 0.3 * (random() * 2 - 1 - lowPassed);
    out[i] = 0.4 * envelope * lowPassed;
  }
  return out;
}

/** `clip` repeated until it is exactly `samples` long. */
export function tiled(clip: Float32Array, samples: number = N_SAMPLES): Float32Array {
  return Float32Array.from({ length: samples }, (_, i) => clip[i % clip.length]!);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
