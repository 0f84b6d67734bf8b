import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SAMPLE_RATE } from '../src/audio/sample-rate.js';

/** Where a phrase's audible part ended up in the test signal, in samples. */
export interface PlacedPhrase {
  text: string;
  /** Where the clip was placed (its leading silence included). */
  offset: number;
  /** First and last audible sample, past espeak's own leading and trailing silence. */
  voicedStart: number;
  voicedEnd: number;
}

export interface SpeechSignal {
  pcm: Float32Array;
  phrases: PlacedPhrase[];
}

/** Speaks `text` with espeak-ng and decodes it to 16 kHz mono float PCM via ffmpeg. */
export function speak(text: string, dir: string): Float32Array {
  const wav = path.join(dir, 'phrase.wav');
  const raw = path.join(dir, 'phrase.f32');
  execFileSync('espeak-ng', ['-v', 'en-us', '-w', wav, text]);
  execFileSync(
    'ffmpeg',
    ['-y', '-loglevel', 'error', '-i', wav, '-ac', '1', '-ar', String(SAMPLE_RATE)].concat([
      '-f',
      'f32le',
      raw,
    ]),
  );
  const bytes = readFileSync(raw);
  // Copy: the Buffer may sit at an offset in a shared pool that is not 4-byte aligned.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** First and last sample of 10 ms blocks whose RMS clears -40 dBFS: the audible extent of a clip. */
export function voicedExtent(clip: Float32Array): { start: number; end: number } {
  const block = SAMPLE_RATE / 100;
  let start = -1;
  let end = -1;
  for (let at = 0; at + block <= clip.length; at += block) {
    let energy = 0;
    for (let i = at; i < at + block; i++) energy += (clip[i] ?? 0) ** 2;
    if (Math.sqrt(energy / block) > 0.01) {
      if (start < 0) start = at;
      end = at + block;
    }
  }
  if (start < 0) throw new Error('clip is silent');
  return { start, end };
}

/** Deterministic noise so runs are comparable; -60 dBFS keeps the "silence" realistic but inaudible. */
export function lowNoise(length: number, amplitude = 0.001, seed = 1): Float32Array {
  const out = new Float32Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * 2 * amplitude;
  }
  return out;
}

/** A `seconds`-long signal of low noise with each phrase added at its offset (seconds). */
export function buildSpeechSignal(seconds: number, placements: Array<[string, number]>): SpeechSignal {
  const dir = mkdtempSync(path.join(tmpdir(), 'vad-speech-'));
  try {
    const pcm = lowNoise(Math.round(seconds * SAMPLE_RATE));
    const phrases = placements.map(([text, at]) => {
      const clip = speak(text, dir);
      const offset = Math.round(at * SAMPLE_RATE);
      if (offset + clip.length > pcm.length) throw new RangeError(`"${text}" does not fit at ${at} s`);
      for (let i = 0; i < clip.length; i++) pcm[offset + i] = (pcm[offset + i] ?? 0) + (clip[i] ?? 0);
      const voiced = voicedExtent(clip);
      return { text, offset, voicedStart: offset + voiced.start, voicedEnd: offset + voiced.end };
    });
    return { pcm, phrases };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
