import { beforeAll, describe, expect, it } from 'vitest';
import { buildSpeechSignal, type SpeechSignal } from '../../test/speech-fixture.js';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { type AudioWindow, WindowAssembler } from './window-assembler.js';

let signal: SpeechSignal;

beforeAll(() => {
  // Two phrases (espeak-ng) in low noise, 4 s apart.
  signal = buildSpeechSignal(14, [
    ['The quick brown fox jumps over the lazy dog.', 2],
    ['Speech recognition runs at the edge.', 9],
  ]);
}, 30_000);

async function windows(assembler: WindowAssembler): Promise<AudioWindow[]> {
  const out: AudioWindow[] = [];
  for (let at = 0; at < signal.pcm.length; at += SAMPLE_RATE)
    out.push(...(await assembler.push(signal.pcm.subarray(at, at + SAMPLE_RATE))));
  out.push(...(await assembler.finish()));
  return out;
}

describe('WindowAssembler with a request’s server_vad settings (chunking_strategy)', () => {
  it('turns VAD on for the request even where the service runs without it', async () => {
    const fixed = await windows(await WindowAssembler.create(false));
    // Without VAD: the whole signal, noise included, from 0 s.
    expect(fixed.reduce((n, w) => n + w.samples.length, 0)).toBe(signal.pcm.length);
    expect(fixed[0]!.toSource(0, 'start')).toBe(0);
    const vad = await windows(await WindowAssembler.create(false, { prefix_padding_ms: 100 }));
    // Speech only: the leading 2 s of noise and the 4 s gap are gone.
    const kept = vad.reduce((n, w) => n + w.samples.length, 0) / SAMPLE_RATE;
    expect(kept).toBeLessThan(10);
    expect(vad[0]!.toSource(0, 'start')).toBeGreaterThan(1.5);
  });

  it('applies its padding and silence settings', async () => {
    const tight = await windows(await WindowAssembler.create(true, { prefix_padding_ms: 0 }));
    const padded = await windows(await WindowAssembler.create(true, { prefix_padding_ms: 800 }));
    const length = (ws: AudioWindow[]) => ws.reduce((n, w) => n + w.samples.length, 0);
    // 800 ms each side of each of two phrases: about 3.2 s more audio kept.
    expect((length(padded) - length(tight)) / SAMPLE_RATE).toBeGreaterThan(2);
    // A silence wait longer than the gap joins the two phrases into one speech region.
    const joined = await windows(await WindowAssembler.create(true, { silence_duration_ms: 6000 }));
    expect(length(joined) / SAMPLE_RATE).toBeGreaterThan(length(tight) / SAMPLE_RATE + 3);
  });
});
