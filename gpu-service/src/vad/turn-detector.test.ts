import { describe, expect, it } from 'vitest';
import { MIN_SPEECH_FRAMES, TurnDetector, type TurnEvent } from './turn-detector.js';

const FRAME = 512;

function run(probabilities: number[], silenceDurationMs = 500, start = 0): TurnEvent[] {
  const detector = new TurnDetector({ threshold: 0.5, silenceDurationMs }, start);
  return probabilities.flatMap((p) => detector.push(p));
}

const repeat = (p: number, frames: number) => Array<number>(frames).fill(p);
/** Frames of silence that make `ms` (rounded up). */
const framesOf = (ms: number) => Math.ceil((ms * 16) / FRAME);

describe('TurnDetector', () => {
  it('starts a turn at its first speech frame once it has lasted a few frames, and stops it after the silence', () => {
    const events = run([...repeat(0.1, 10), ...repeat(0.9, 20), ...repeat(0.05, framesOf(500) + 5)]);
    expect(events).toEqual([
      { type: 'start', start: 10 * FRAME, at: (10 + MIN_SPEECH_FRAMES) * FRAME },
      { type: 'stop', end: 30 * FRAME, at: (30 + framesOf(500)) * FRAME },
    ]);
  });

  it('ignores a blip shorter than the minimum', () => {
    expect(run([...repeat(0.1, 5), 0.9, 0.9, 0.05, ...repeat(0.1, 40)])).toEqual([]);
  });

  it('keeps one turn through a pause shorter than the silence duration', () => {
    const events = run([
      ...repeat(0.9, 10),
      ...repeat(0.05, framesOf(400)),
      ...repeat(0.9, 10),
      ...repeat(0, 30),
    ]);
    expect(events.map((e) => e.type)).toEqual(['start', 'stop']);
  });

  it('a shorter silence duration ends the same turn sooner', () => {
    const probabilities = [...repeat(0.9, 10), ...repeat(0.05, 40)];
    const long = run(probabilities, 800).find((e) => e.type === 'stop')!;
    const short = run(probabilities, 200).find((e) => e.type === 'stop')!;
    expect(short.end).toBe(long.end);
    expect(short.at).toBeLessThan(long.at);
  });

  it('frames between the two thresholds neither start silence nor end speech (hysteresis)', () => {
    // 0.4 is below the threshold (0.5) but above the release point (0.35): the turn holds.
    const events = run([...repeat(0.9, 10), ...repeat(0.4, 60)]);
    expect(events.map((e) => e.type)).toEqual(['start']);
  });

  it('counts positions from where it was created', () => {
    const [start] = run([...repeat(0.9, 5)], 500, 16_000);
    expect(start).toMatchObject({ type: 'start', start: 16_000 });
  });
});
