import { describe, expect, it } from 'vitest';
import { AudioTape } from './audio-tape.js';
import type { LiveEngine } from './live-engine.js';
import { PartialTranscript } from './partial-transcript.js';

/**
 * The agreement logic against a scripted decoder (the real engine's output on random weights cannot
 * show it): a "true" token sequence of which a decode of L samples hears the first ⌊L / 1000⌋ tokens,
 * then one unstable guess. The session tests run the real engine.
 */
const TRUTH = Array.from({ length: 40 }, (_, i) => 100 + i);
const vocab = (tokens: readonly number[]) => tokens.map((t) => ` w${t}`).join('');

function scriptedEngine(log: Array<{ samples: number; prefix: number[] }>) {
  return {
    async partial(audio: Float32Array, _options: unknown, prefix: readonly number[]) {
      log.push({ samples: audio.length, prefix: [...prefix] });
      await new Promise((resolve) => setTimeout(resolve, 1));
      const heard = TRUTH.slice(0, Math.floor(audio.length / 1000));
      // Decoding continues from the prefix: it must be what the decoder would have said.
      expect(heard.slice(0, prefix.length)).toEqual(prefix);
      return [...heard.slice(prefix.length), 900 + audio.length];
    },
    textOf: vocab,
  } as unknown as LiveEngine;
}

async function feed(tape: AudioTape, partial: PartialTranscript, total: number, block: number) {
  for (let at = 0; at < total; at += block) {
    tape.append(new Float32Array(block));
    partial.update();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('PartialTranscript', () => {
  it('appends what successive decodes agree on, continuing each decode from it', async () => {
    const log: Array<{ samples: number; prefix: number[] }> = [];
    const tape = new AudioTape();
    const deltas: string[] = [];
    const partial = new PartialTranscript(
      scriptedEngine(log),
      async () => ({ language: 'en' }),
      tape,
      0,
      { stepSamples: 2000 },
      (d) => deltas.push(d),
      (e) => {
        throw e;
      },
    );
    await feed(tape, partial, 20_000, 1000);
    await partial.stop();
    // A decode per step of new audio (none skipped at this pace), each at least a step after the last.
    expect(log.length).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < log.length; i++)
      expect(log[i]!.samples - log[i - 1]!.samples).toBeGreaterThanOrEqual(2000);
    // The unstable last guess is never shown; the agreed words are, in order, once each.
    expect(deltas.join('')).toBe(vocab(TRUTH.slice(0, Math.floor(log.at(-2)!.samples / 1000))).trimStart());
    expect(deltas.join('')).not.toMatch(/w9\d\d/);
    expect(partial.text).toBe(deltas.join(''));
  });

  it('moves to a new window when the audio outgrows one, keeping what was shown', async () => {
    const log: Array<{ samples: number; prefix: number[] }> = [];
    const tape = new AudioTape();
    const deltas: string[] = [];
    const partial = new PartialTranscript(
      {
        async partial(audio: Float32Array, _o: unknown, prefix: readonly number[]) {
          log.push({ samples: audio.length, prefix: [...prefix] });
          return [...TRUTH.slice(prefix.length, Math.floor(audio.length / 1000))];
        },
        textOf: vocab,
      } as unknown as LiveEngine,
      async () => ({ language: 'en' }),
      tape,
      0,
      { stepSamples: 2000, windowSamples: 8000 },
      (d) => deltas.push(d),
      (e) => {
        throw e;
      },
    );
    await feed(tape, partial, 20_000, 1000);
    await partial.stop();
    expect(Math.max(...log.map((l) => l.samples))).toBeLessThanOrEqual(8000);
    const shown = deltas.join('');
    // Text only grows: each delta appends, and earlier text is still there at the end.
    let sofar = '';
    for (const d of deltas) {
      expect(d.length).toBeGreaterThan(0);
      sofar += d;
      expect(shown.startsWith(sofar)).toBe(true);
    }
    // A new window started with an empty prefix after the first one filled up.
    expect(log.some((l, i) => i > 0 && l.prefix.length === 0 && log[i - 1]!.prefix.length > 0)).toBe(true);
  });
});
