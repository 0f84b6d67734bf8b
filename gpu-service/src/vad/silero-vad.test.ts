import { beforeAll, describe, expect, it } from 'vitest';
import { buildSpeechSignal, type SpeechSignal } from '../../test/speech-fixture.js';
import { loadSileroVad, type SileroVadModel } from './silero-model.js';
import { detectSpeech, type SpeechSegment, VadStream } from './silero-vad.js';

const SR = 16_000;
const PAD = 0.2; // the default speechPadMs, in seconds
const PLACEMENTS: Array<[string, number]> = [
  ['The quick brown fox jumps over the lazy dog.', 1.0],
  ['Please call Stella and ask her to bring these things with her from the store.', 7.5],
  ['Voice activity detection finds the speech in long recordings.', 15.0],
  ['Whisper transcribes every window of thirty seconds.', 40.0],
];

async function streamInBlocks(model: SileroVadModel, pcm: Float32Array, sizes: number[]) {
  const stream = new VadStream(model);
  const segments: SpeechSegment[] = [];
  /** Samples fed when each segment came back: proof it was not held until the end. */
  const emittedAt: number[] = [];
  for (let at = 0, i = 0; at < pcm.length; i++) {
    const size = sizes[i % sizes.length]!;
    for (const s of await stream.push(pcm.subarray(at, at + size))) {
      segments.push(s);
      emittedAt.push(Math.min(at + size, pcm.length));
    }
    at += size;
  }
  for (const s of await stream.flush()) {
    segments.push(s);
    emittedAt.push(pcm.length);
  }
  return { segments, emittedAt };
}

describe('Silero VAD on espeak-ng speech', () => {
  let model: SileroVadModel;
  let signal: SpeechSignal;
  let whole: SpeechSegment[];

  beforeAll(async () => {
    model = await loadSileroVad();
    signal = buildSpeechSignal(50, PLACEMENTS);
    whole = await detectSpeech(signal.pcm);
  });

  it('finds each phrase where it was placed, padding aside', () => {
    expect(whole).toHaveLength(PLACEMENTS.length);
    signal.phrases.forEach((phrase, i) => {
      const found = whole[i]!;
      const startError = found.start / SR + PAD - phrase.voicedStart / SR;
      const endError = found.end / SR - PAD - phrase.voicedEnd / SR;
      expect(Math.abs(startError), `start of "${phrase.text}"`).toBeLessThanOrEqual(0.3);
      expect(Math.abs(endError), `end of "${phrase.text}"`).toBeLessThanOrEqual(0.3);
    });
  });

  it('detects nothing in the long silences', () => {
    const speech = signal.phrases.map((p) => [p.voicedStart / SR - PAD - 0.3, p.voicedEnd / SR + PAD + 0.3]);
    for (const segment of whole) {
      const [start, end] = [segment.start / SR, segment.end / SR];
      expect(
        speech.some(([a, b]) => start >= a! && end <= b!),
        `${start}–${end} s`,
      ).toBe(true);
    }
    // The 20 s gap from the third phrase to the fourth in particular.
    expect(whole.filter((s) => s.end > 20 * SR && s.start < 39.5 * SR)).toEqual([]);
  });

  it('gives the same segments when streamed in odd block sizes, emitting each early', async () => {
    const thousand = await streamInBlocks(model, signal.pcm, [1000]);
    expect(thousand.segments).toEqual(whole);
    const ragged = await streamInBlocks(model, signal.pcm, [1, 333, 4097, 511, 513, 12_000]);
    expect(ragged.segments).toEqual(whole);
    // Each phrase is reported within about a second of its end (500 ms silence + pad), long before
    // the audio ends: the stream does not sit on finished speech.
    thousand.emittedAt.forEach((at, i) => {
      expect(at / SR - signal.phrases[i]!.voicedEnd / SR).toBeLessThan(1.2);
    });
  });

  it('batches concurrent streams through the one session without changing their results', async () => {
    const reversed = signal.pcm.slice().reverse();
    const alone = await detectSpeech(reversed);
    const before = model.stats;
    const [a, b] = await Promise.all([detectSpeech(signal.pcm), detectSpeech(reversed)]);
    const after = model.stats;
    expect(a).toEqual(whole);
    expect(b).toEqual(alone);
    expect(after.frames - before.frames).toBeGreaterThan(1.8 * (after.runs - before.runs));
  });
});
