import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lowNoise, speak } from '../../test/speech-fixture.js';
import { loadSileroVad } from './silero-model.js';
import { type SpeechSegment, VadStream } from './silero-vad.js';
import { FRAME_SAMPLES } from './vad-options.js';

const SR = 16_000;
const MINUTES = 20;
const CYCLE = 60 * SR;

/**
 * One minute, repeated: 40 s of a phrase said over and over with 300 ms gaps (too short to end speech,
 * so the 30 s limit must split it), 10 s of loud noise bursts, 10 s of near silence. Generated block by
 * block so the test itself does not hold 20 minutes of audio.
 */
function makeSource(phrase: Float32Array) {
  const floor = lowNoise(CYCLE, 0.001, 3);
  const bursts = lowNoise(SR / 2, 0.3, 5);
  const period = phrase.length + Math.round(0.3 * SR);
  return (start: number, length: number): Float32Array => {
    const block = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const t = (start + i) % CYCLE;
      let value = floor[t] ?? 0;
      if (t < 40 * SR) value += phrase[t % period] ?? 0;
      else if (t < 50 * SR && (t - 40 * SR) % (2 * SR) < SR / 2)
        value += bursts[(t - 40 * SR) % (2 * SR)] ?? 0;
      block[i] = value;
    }
    return block;
  };
}

describe('VadStream memory', () => {
  it(`keeps its buffers bounded over ${MINUTES} minutes of audio`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vad-memory-'));
    let phrase: Float32Array;
    try {
      phrase = speak('Each window holds no more than thirty seconds of speech.', dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const source = makeSource(phrase);
    const stream = new VadStream(await loadSileroVad());
    const total = MINUTES * 60 * SR;
    // A pause needs a quiet frame and a speech frame, and the open segment is at most 30 s.
    const maxPauses = Math.ceil((30 * SR) / FRAME_SAMPLES / 2);
    const segments: SpeechSegment[] = [];
    const peak = { samples: 0, pauses: 0, segments: 0 };
    for (let at = 0, i = 0; at < total; i++) {
      const size = Math.min(total - at, 1000 + ((i * 37) % 600));
      segments.push(...(await stream.push(source(at, size))));
      at += size;
      const { samples, pauses, segments: held } = stream.retained;
      peak.samples = Math.max(peak.samples, samples);
      peak.pauses = Math.max(peak.pauses, pauses);
      peak.segments = Math.max(peak.segments, held);
    }
    segments.push(...(await stream.flush()));

    expect(peak.samples).toBeLessThan(FRAME_SAMPLES);
    expect(peak.segments).toBeLessThanOrEqual(1);
    expect(peak.pauses).toBeGreaterThan(0);
    expect(peak.pauses).toBeLessThanOrEqual(maxPauses);
    expect(stream.position).toBe(total);

    // The output is streamed too, and sane: every 40 s stretch of speech yields pieces of ≤ 30 s.
    let previousEnd = 0;
    for (const s of segments) {
      expect(s.start).toBeGreaterThanOrEqual(previousEnd);
      expect(s.end - s.start).toBeLessThanOrEqual(30 * SR);
      previousEnd = s.end;
    }
    expect(segments.length).toBeGreaterThanOrEqual(2 * MINUTES);
    expect(segments.filter((s) => s.end - s.start > 20 * SR).length).toBeGreaterThanOrEqual(MINUTES);
  });
});
