import { beforeAll, describe, expect, it } from 'vitest';
import { speechSamples } from '../../test/test-model.js';
import { LiveVad } from './live-vad.js';
import { loadSileroVad, type SileroVadModel } from './silero-model.js';
import { detectSpeech } from './silero-vad.js';
import type { TurnEvent } from './turn-detector.js';

const SR = 16_000;

async function turns(model: SileroVadModel, pcm: Float32Array, block: number, silenceDurationMs = 500) {
  const vad = new LiveVad(model, { threshold: 0.5, silenceDurationMs });
  const events: Array<TurnEvent & { fed: number }> = [];
  for (let at = 0; at < pcm.length; at += block) {
    const fed = Math.min(at + block, pcm.length);
    for (const event of await vad.push(pcm.subarray(at, fed))) events.push({ ...event, fed });
  }
  return events;
}

describe('LiveVad on the speech fixture (real Silero weights)', () => {
  let model: SileroVadModel;
  let pcm: Float32Array;

  beforeAll(async () => {
    model = await loadSileroVad();
    const speech = await speechSamples();
    // Two seconds of quiet either side, so the turn can start and end inside the recording.
    pcm = new Float32Array(speech.length + 4 * SR);
    pcm.set(speech, 2 * SR);
  });

  it('reports each turn as it happens, matching where whole-file VAD puts the speech', async () => {
    const events = await turns(model, pcm, 1600);
    const segments = await detectSpeech(pcm, { minSilenceDurationMs: 500, speechPadMs: 0 });
    const starts = events.filter((e) => e.type === 'start');
    const stops = events.filter((e) => e.type === 'stop');
    expect(starts.length).toBe(segments.length);
    expect(stops.length).toBe(segments.length);
    segments.forEach((segment, i) => {
      expect(Math.abs(starts[i]!.start - segment.start) / SR).toBeLessThan(0.1);
      expect(
        Math.abs((stops[i] as Extract<TurnEvent, { type: 'stop' }>).end - segment.end) / SR,
      ).toBeLessThan(0.1);
    });
    // Decided live: a start is known within ~0.2 s of the speech, a stop once the silence has lasted.
    for (const start of starts) expect((start.fed - start.start) / SR).toBeLessThan(0.25);
    for (const stop of stops) {
      const end = (stop as Extract<TurnEvent, { type: 'stop' }>).end;
      expect((stop.fed - end) / SR).toBeGreaterThanOrEqual(0.5);
      expect((stop.fed - end) / SR).toBeLessThan(0.65);
    }
    expect(starts[0]!.start / SR).toBeGreaterThan(1.8);
  });

  it('decides the same turns however the audio is split', async () => {
    const strip = (events: TurnEvent[]) => events.map(({ type, ...rest }) => ({ type, ...rest, fed: 0 }));
    const a = await turns(model, pcm, 480);
    const b = await turns(model, pcm, 7777);
    expect(strip(a)).toEqual(strip(b));
  });
});
