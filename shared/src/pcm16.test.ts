import { describe, expect, it } from 'vitest';
import { pcm16ToFloat, toPcm16 } from './pcm16.js';

describe('pcm16', () => {
  it('writes PCM16 little-endian, clipping at full scale', () => {
    const bytes = toPcm16(Float32Array.from([0, 0.5, -0.5, 1, -1, 2, -2]));
    const view = new DataView(bytes.buffer);
    expect(Array.from({ length: 7 }, (_, i) => view.getInt16(i * 2, true))).toEqual([
      0, 16384, -16384, 32767, -32768, 32767, -32768,
    ]);
  });

  it('reads PCM16 at any byte offset back to within two steps (rounding, and 32767 up against 32768 down), ignoring an odd trailing byte', () => {
    const samples = Float32Array.from([0, 0.25, -0.75, 0.999, -1]);
    const bytes = toPcm16(samples);
    const unaligned = new Uint8Array(bytes.length + 2);
    unaligned.set(bytes, 1);
    const back = pcm16ToFloat(unaligned.subarray(1, bytes.length + 2));
    expect(back.length).toBe(samples.length);
    for (const [i, v] of samples.entries()) expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(2 / 32768);
  });
});
