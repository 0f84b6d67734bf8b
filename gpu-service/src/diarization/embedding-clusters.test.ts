import { describe, expect, it } from 'vitest';
import { cosineDistance } from './embedding-clusters.js';

const v = (...values: number[]) => Float64Array.from(values);

describe('embedding clusters', () => {
  it('measures cosine distance', () => {
    expect(cosineDistance(v(1, 0), v(2, 0))).toBeCloseTo(0);
    expect(cosineDistance(v(1, 0), v(0, 3))).toBeCloseTo(1);
    expect(cosineDistance(v(1, 1), v(-1, -1))).toBeCloseTo(2);
  });
});
