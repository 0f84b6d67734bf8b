import type { TranscriptionResult } from '@whisper-edge/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSpeechSignal, type SpeechSignal } from '../../test/speech-fixture.js';
import { loadTestModel } from '../../test/test-model.js';
import { diarizerFactory } from '../diarization/create-diarizer.js';
import type { LoadedModel } from '../models/model-manager.js';
import { Transcriber } from './transcribe.js';

const transcriber = new Transcriber({ diarizers: diarizerFactory() });

/**
 * Known speech at known times in silence (espeak-ng), through VAD windows, the engine and back to the
 * original timeline. The generated model's words are random, but where its segments sit is not: each
 * VAD window starts with speech, so its first segment must start where the phrase does, and no
 * segment may sit in the silences VAD removed.
 */
const PLACEMENTS: Array<[string, number]> = [
  ['The quick brown fox jumps over the lazy dog.', 2.0],
  ['Please call Stella and ask her to bring these things.', 12.5],
  ['Voice activity detection finds the speech in long recordings.', 41.0],
  ['Whisper transcribes every window of thirty seconds.', 75.0],
];

let model: LoadedModel;
let signal: SpeechSignal;
let result: TranscriptionResult;

beforeAll(async () => {
  model = await loadTestModel();
  signal = buildSpeechSignal(90, PLACEMENTS);
  // Greedy only: sampled fallbacks of a random model put timestamps anywhere.
  result = await transcriber.transcribe(
    model,
    signal.pcm,
    { task: 'transcribe', language: 'en', timestamp_granularities: ['word', 'segment'] },
    { temperatures: [0] },
  );
}, 120_000);

describe('timestamps on the original timeline', () => {
  it('starts the transcript where the first phrase starts (within 0.3 s)', () => {
    const first = signal.phrases[0]!;
    expect(result.segments.length).toBeGreaterThan(0);
    expect(Math.abs(result.segments[0]!.start - first.voicedStart / 16_000)).toBeLessThanOrEqual(0.3);
  });

  it('puts no segment in the silences between phrases', () => {
    const spans = signal.phrases.map(
      (p) => [p.voicedStart / 16_000 - 0.3, p.voicedEnd / 16_000 + 0.3] as const,
    );
    for (const segment of result.segments) {
      const inside = (t: number) => spans.some(([a, b]) => t >= a && t <= b);
      expect(inside(segment.start), `segment starting at ${segment.start}`).toBe(true);
      expect(inside(segment.end), `segment ending at ${segment.end}`).toBe(true);
    }
  });

  it('keeps segments in order and the duration of the whole file', () => {
    expect(result.duration).toBeCloseTo(90, 2);
    for (let i = 1; i < result.segments.length; i++) {
      expect(result.segments[i]!.start).toBeGreaterThanOrEqual(result.segments[i - 1]!.start);
    }
  });

  it('puts words, aligned inside each window, on the phrases too, in order', () => {
    const spans = signal.phrases.map(
      (p) => [p.voicedStart / 16_000 - 0.3, p.voicedEnd / 16_000 + 0.3] as const,
    );
    const words = result.words!;
    const inside = (t: number) => spans.some(([a, b]) => t >= a && t <= b);
    for (const [i, word] of words.entries()) {
      // A window joins several phrases, so a (random) word may run from one phrase into the next.
      expect(inside(word.start), `word starting at ${word.start}`).toBe(true);
      expect(inside(word.end), `word ending at ${word.end}`).toBe(true);
      if (i > 0) expect(word.start).toBeGreaterThanOrEqual(words[i - 1]!.start);
    }
    // Words land on more than one phrase: the map back crosses the silences VAD removed.
    const phrasesWithWords = spans.filter(([a, b]) => words.some((w) => w.start >= a && w.start <= b));
    expect(phrasesWithWords.length).toBeGreaterThan(1);
  });
});
