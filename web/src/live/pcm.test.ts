import { toPcm16 } from '@whisper-edge/shared/pcm16';
import { describe, expect, it } from 'vitest';
import { base64Of, levelDb, wavBlob } from './pcm.js';

describe('pcm', () => {
  it('base64-encodes the PCM16 sent in append events', () => {
    const bytes = toPcm16(Float32Array.from([0, 0.5, -0.5, 1, -1, 2, -2]));
    expect(atob(base64Of(bytes)).length).toBe(14);
    expect(Uint8Array.from(atob(base64Of(bytes)), (c) => c.charCodeAt(0))).toEqual(bytes);
  });

  it('measures level in dBFS', () => {
    expect(levelDb(new Float32Array(480).fill(1))).toBeCloseTo(0, 5);
    expect(levelDb(new Float32Array(480).fill(0.1))).toBeCloseTo(-20, 5);
    expect(levelDb(new Float32Array(480))).toBe(-90);
  });

  it('builds a WAV that states its rate and length', async () => {
    const blob = wavBlob([new Uint8Array(10), new Uint8Array(6)], 24_000);
    const view = new DataView(await blob.arrayBuffer());
    expect(blob.size).toBe(60);
    expect(view.getUint32(24, true)).toBe(24_000);
    expect(view.getUint32(40, true)).toBe(16);
    expect(blob.type).toBe('audio/wav');
  });
});
