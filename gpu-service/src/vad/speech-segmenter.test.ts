import { describe, expect, it } from 'vitest';
import { SpeechSegmenter } from './speech-segmenter.js';
import { FRAME_SAMPLES as F, resolveVadOptions, type SpeechSegment, type VadOptions } from './vad-options.js';

const PAD = 3200; // 200 ms

/** Probabilities from [value, frames] runs. */
function runs(...parts: Array<[number, number]>): number[] {
  return parts.flatMap(([value, frames]) => Array<number>(frames).fill(value));
}

/** Feeds every probability, recording the frame whose push released each segment. */
function segment(probs: number[], options: Partial<VadOptions> = {}, total = probs.length * F) {
  const segmenter = new SpeechSegmenter(resolveVadOptions(options));
  const segments: SpeechSegment[] = [];
  const releasedAt: number[] = [];
  let maxPauses = 0;
  probs.forEach((p, frame) => {
    for (const s of segmenter.push(p)) {
      segments.push(s);
      releasedAt.push(frame);
    }
    maxPauses = Math.max(maxPauses, segmenter.retainedPauses);
  });
  for (const s of segmenter.finish(total)) {
    segments.push(s);
    releasedAt.push(-1);
  }
  return { segments, releasedAt, maxPauses };
}

describe('SpeechSegmenter', () => {
  it('pads a speech run and releases it as soon as the pause is long enough', () => {
    const { segments, releasedAt } = segment(runs([0.01, 50], [0.9, 100], [0.01, 100]));
    expect(segments).toEqual([{ start: 50 * F - PAD, end: 150 * F + PAD }]);
    // 500 ms of quiet is 15.6 frames: the 17th quiet frame (index 166) closes it.
    expect(releasedAt).toEqual([166]);
  });

  it('rides over dips between the thresholds and over pauses shorter than min silence', () => {
    const probs = runs([0.01, 10], [0.9, 30], [0.4, 60], [0.9, 30], [0.1, 12], [0.9, 30], [0.01, 40]);
    expect(segment(probs).segments).toEqual([{ start: 10 * F - PAD, end: 172 * F + PAD }]);
  });

  it('drops detections shorter than min speech', () => {
    expect(segment(runs([0.01, 20], [0.9, 7], [0.01, 40])).segments).toEqual([]);
    expect(segment(runs([0.01, 20], [0.9, 8], [0.01, 40])).segments).toHaveLength(1);
  });

  it('shares a short gap between neighbours at its midpoint instead of overlapping', () => {
    const { segments } = segment(runs([0.01, 20], [0.9, 30], [0.01, 10], [0.9, 30], [0.01, 40]), {
      minSilenceDurationMs: 100,
    });
    const mid = 50 * F + (10 * F) / 2;
    expect(segments).toEqual([
      { start: 20 * F - PAD, end: mid },
      { start: mid, end: 90 * F + PAD },
    ]);
  });

  it('does not let a dropped blip shift its neighbour’s padding', () => {
    const { segments } = segment(runs([0.9, 30], [0.01, 6], [0.9, 3], [0.01, 60]), {
      minSilenceDurationMs: 100,
    });
    expect(segments).toEqual([{ start: 0, end: 30 * F + PAD }]);
  });

  it('splits speech longer than the maximum at its longest pause, lowest probability first', () => {
    // maxSpeech 10 s with 200 ms pads leaves 300 frames of unpadded speech.
    const probs = runs(
      [0.01, 10],
      [0.9, 90],
      [0.05, 3], // 100: short pause
      [0.9, 47],
      [0.05, 6], // 150: long pause
      [0.9, 94],
      [0.02, 6], // 250: as long, quieter: the cut
      [0.9, 24],
      [0.05, 3], // 280
      [0.9, 117],
      [0.01, 60],
    );
    const { segments } = segment(probs, { maxSpeechDurationS: 10 });
    const mid = 250 * F + (6 * F) / 2;
    expect(segments).toEqual([
      { start: 10 * F - PAD, end: mid },
      { start: mid, end: 400 * F + PAD },
    ]);
    for (const s of segments) expect(s.end - s.start).toBeLessThanOrEqual(10 * 16_000);
  });

  it('cuts hard when long speech has no pause at all', () => {
    const { segments } = segment(runs([0.01, 10], [0.9, 700], [0.01, 60]), { maxSpeechDurationS: 10 });
    expect(segments).toEqual([
      { start: 10 * F - PAD, end: 310 * F },
      { start: 310 * F, end: 610 * F },
      { start: 610 * F, end: 710 * F + PAD },
    ]);
  });

  it('may end over-long speech at a pause still in progress', () => {
    const { segments } = segment(runs([0.9, 295], [0.01, 80]), { maxSpeechDurationS: 10 });
    expect(segments).toEqual([{ start: 0, end: 295 * F + PAD }]);
  });

  it('ends speech that runs into the end of the audio at the true length', () => {
    const total = 99 * F + 100;
    const { segments, releasedAt } = segment(runs([0.01, 50], [0.9, 50]), {}, total);
    expect(segments).toEqual([{ start: 50 * F - PAD, end: total }]);
    expect(releasedAt).toEqual([-1]);
  });

  it('keeps segments sorted, disjoint, within bounds and memory bounded on random input', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const configs: Array<Partial<VadOptions>> = [
      {},
      { minSilenceDurationMs: 0, speechPadMs: 400, maxSpeechDurationS: 5 },
      { minSilenceDurationMs: 2000, speechPadMs: 30, minSpeechDurationMs: 0 },
    ];
    for (const options of configs) {
      const limits = resolveVadOptions(options);
      const maxSamples = (options.maxSpeechDurationS ?? 30) * 16_000;
      // A sticky random walk gives runs of speech and quiet of every length.
      const probs: number[] = [];
      let p = 0.1;
      for (let i = 0; i < 40_000; i++) {
        if (random() < 0.05) p = random();
        probs.push(Math.min(1, Math.max(0, p + (random() - 0.5) * 0.3)));
      }
      const { segments, maxPauses } = segment(probs, options, probs.length * F - 77);
      expect(segments.length).toBeGreaterThan(20);
      let previousEnd = 0;
      for (const s of segments) {
        expect(s.start).toBeGreaterThanOrEqual(previousEnd);
        expect(s.end).toBeGreaterThan(s.start);
        expect(s.end - s.start).toBeLessThanOrEqual(maxSamples);
        previousEnd = s.end;
      }
      expect(previousEnd).toBeLessThanOrEqual(probs.length * F - 77);
      // With no minimum silence every quiet frame ends speech, so no pause is ever kept.
      if (limits.minSilenceSamples > 0) expect(maxPauses).toBeGreaterThan(0);
      expect(maxPauses).toBeLessThanOrEqual(limits.maxRawSamples / F / 2);
    }
  });
});
