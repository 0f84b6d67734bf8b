import type { WhisperFeatureExtractor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceExtractor, referenceFeatures, speechClip } from '../../test/log-mel-reference.js';
import { chirpAndSine, maxAbsDiff, noise, speechLikeNoise, tiled } from '../../test/test-signals.js';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { type MelBins, N_FRAMES, N_SAMPLES } from '../audio/whisper-audio.js';
import { LogMelExtractor } from './log-mel-extractor.js';

/** The contract: indistinguishable from Transformers.js for the model. */
const TOLERANCE = 1e-4;

interface Input {
  name: string;
  make: () => Float32Array;
  /** The reference needs ~0.1 s a window, so 128 bins re-checks only the telling cases. */
  with128?: boolean;
}

const inputs: Input[] = [
  { name: 'seeded noise, 30 s', make: () => noise(30, 1), with128: true },
  { name: 'chirp + 440 Hz sine, 20 s', make: () => chirpAndSine(20), with128: true },
  { name: 'silence, 30 s', make: () => new Float32Array(N_SAMPLES) },
  { name: 'speech-like noise, 7 s', make: () => speechLikeNoise(7, 2) },
  { name: 'tiled speech, exactly 30 s', make: () => tiled(speechClip()), with128: true },
  { name: 'speech-en.flac, 6 s', make: () => speechClip() },
  { name: '100 samples', make: () => noise(100 / SAMPLE_RATE, 3) },
  { name: '35 s, truncated to the first 30 s', make: () => tiled(speechClip(), 35 * SAMPLE_RATE) },
];

for (const nMels of [80, 128] as MelBins[]) {
  describe(`LogMelExtractor, ${nMels} mel bins`, () => {
    let extractor: LogMelExtractor;
    let reference: WhisperFeatureExtractor;
    const measured: string[] = [];

    beforeAll(async () => {
      // One window at a time here, so one worker is enough (and starts sooner).
      extractor = await LogMelExtractor.create({ nMels, threads: 1 });
      reference = referenceExtractor(nMels);
    });
    afterAll(async () => {
      await extractor.dispose();
      console.log(`max |ours − Transformers.js|, ${nMels} mels:\n  ${measured.join('\n  ')}`);
    });

    for (const { name, make, with128 } of inputs) {
      if (nMels === 128 && !with128) continue;
      it(`matches WhisperFeatureExtractor: ${name}`, async () => {
        const audio = make();
        const [ours] = await extractor.extract([audio]);
        const expected = await referenceFeatures(reference, audio);
        expect(ours).toHaveLength(nMels * N_FRAMES);
        const diff = maxAbsDiff(ours!, expected);
        measured.push(`${name}: ${diff.toExponential(2)}`);
        expect(diff).toBeLessThanOrEqual(TOLERANCE);
      });
    }

    if (nMels === 80) {
      it('returns a batch in input order, each window clamped to its own maximum', async () => {
        // A loud and a quiet window together: a batch-wide clamp would flatten the quiet one.
        const loud = noise(30, 4, 0.9);
        const quiet = speechLikeNoise(12, 5).map((x) => x * 1e-3);
        const batch = await extractor.extract([quiet, loud, quiet]);
        const [alone] = await extractor.extract([quiet]);
        expect(batch).toHaveLength(3);
        expect(maxAbsDiff(batch[0]!, alone!)).toBe(0);
        expect(maxAbsDiff(batch[2]!, alone!)).toBe(0);
        expect(maxAbsDiff(batch[1]!, await referenceFeatures(reference, loud))).toBeLessThanOrEqual(
          TOLERANCE,
        );
      });
    }
  });
}

describe('LogMelExtractor API', () => {
  it('leaves the caller’s buffers intact, views into a longer recording included', async () => {
    const extractor = await LogMelExtractor.create({ nMels: 80, threads: 1 });
    try {
      const recording = speechLikeNoise(40, 6);
      const copy = recording.slice();
      const windows = [recording.subarray(0, N_SAMPLES), recording.subarray(N_SAMPLES)];
      const features = await extractor.extract(windows);
      expect(features.map((f) => f.length)).toEqual([80 * N_FRAMES, 80 * N_FRAMES]);
      expect(recording.buffer.byteLength).toBe(copy.byteLength);
      expect(maxAbsDiff(recording, copy)).toBe(0);
      expect(await extractor.extract([])).toEqual([]);
    } finally {
      await extractor.dispose();
    }
  });

  it('rejects bad input and use after dispose', async () => {
    await expect(LogMelExtractor.create({ nMels: 64 as MelBins })).rejects.toThrow(/80 or 128/);
    const extractor = await LogMelExtractor.create({ nMels: 80, threads: 1 });
    expect(() => extractor.extract([[0.1, 0.2] as unknown as Float32Array])).toThrow(TypeError);
    const pending = expect(extractor.extract([noise(30, 8)])).rejects.toThrow(/closed/);
    await extractor.dispose();
    await pending;
    await expect(extractor.extract([noise(1, 9)])).rejects.toThrow(/closed/);
  });
});
