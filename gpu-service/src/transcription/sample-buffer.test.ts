import { describe, expect, it } from 'vitest';
import { SampleBuffer } from './sample-buffer.js';

const ramp = (from: number, n: number) => new Float32Array(n).map((_, i) => from + i);

describe('SampleBuffer', () => {
  it('reads across blocks by absolute position and forgets what is dropped', () => {
    const buffer = new SampleBuffer();
    buffer.append(ramp(0, 10));
    buffer.append(ramp(10, 10));
    buffer.append(ramp(20, 10));
    expect(Array.from(buffer.read(8, 13))).toEqual([8, 9, 10, 11, 12]);
    buffer.dropBefore(15);
    expect(buffer.retained).toBe(20);
    expect(Array.from(buffer.read(10, 12))).toEqual([10, 11]);
    expect(() => buffer.read(5, 12)).toThrow(RangeError);
    buffer.dropBefore(30);
    expect(buffer.retained).toBe(0);
    expect(buffer.end).toBe(30);
  });
});
