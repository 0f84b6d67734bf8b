/** Shared fixtures for the tiny-whisper tests (not a test file itself). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTinyWhisper, type TinyWhisperOptions, type TinyWhisperResult } from './generate.js';
import { Rng } from './rng.js';

export interface TempModel {
  /** What `env.localModelPath` should point at. */
  parent: string;
  /** The model id to pass to `pipeline()` / `from_pretrained()`. */
  name: string;
  dir: string;
  result: TinyWhisperResult;
  cleanup(): Promise<void>;
}

let counter = 0;

/**
 * Generates a model into a fresh temp dir. Names are unique per call because
 * Transformers.js memoizes config/file lookups by model id for the whole process.
 */
export async function makeTempModel(options: Omit<TinyWhisperOptions, 'outDir'> = {}): Promise<TempModel> {
  const parent = await mkdtemp(join(tmpdir(), 'tiny-whisper-'));
  const name = `tiny-whisper-${process.pid}-${++counter}`;
  const dir = join(parent, name);
  const result = await generateTinyWhisper({ ...options, outDir: dir });
  return { parent, name, dir, result, cleanup: () => rm(parent, { recursive: true, force: true }) };
}

/** A seeded "voice-like" signal: two gliding harmonics with a syllable envelope, plus a little noise. */
export function synthAudio(seconds: number, seed: number, sampleRate = 16000): Float32Array {
  const rng = new Rng(seed);
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  const f0 = 120 + 80 * rng.nextFloat();
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const freq = f0 * (1 + 0.1 * Math.sin(2 * Math.PI * 0.7 * t));
    phase += (2 * Math.PI * freq) / sampleRate;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
    out[i] = 0.3 * envelope * (Math.sin(phase) + 0.5 * Math.sin(2 * phase)) + 0.02 * rng.normal();
  }
  return out;
}
