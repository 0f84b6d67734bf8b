import { describe, expect, it } from 'vitest';
import { absorbSmallClusters, assignNearest, cosineDistance, standardise } from './embedding-clusters.js';

const v = (...values: number[]) => Float64Array.from(values);

describe('embedding clusters', () => {
  it('standardises each dimension, putting missing values at the mean', () => {
    const vectors = [v(1, 10), v(3, Number.NaN), v(5, 30)];
    standardise(vectors);
    expect([...vectors.map((x) => x[0])]).toEqual([-Math.sqrt(1.5), 0, Math.sqrt(1.5)]);
    expect(vectors[1]![1]).toBe(0);
    expect(vectors[0]![1]).toBeCloseTo(-1);
  });

  it('measures cosine distance', () => {
    expect(cosineDistance(v(1, 0), v(2, 0))).toBeCloseTo(0);
    expect(cosineDistance(v(1, 0), v(0, 3))).toBeCloseTo(1);
    expect(cosineDistance(v(1, 1), v(-1, -1))).toBeCloseTo(2);
  });

  it('folds clusters below the share into their nearest, never below the minimum count', () => {
    const vectors = [v(1, 0), v(0.9, 0.1), v(1, 0.05), v(0, 1), v(0.1, 1), v(0.8, 0.3)];
    const labels = Int32Array.from([0, 0, 0, 1, 1, 2]);
    expect([...absorbSmallClusters(vectors, labels, 1, 0.2)]).toEqual([0, 0, 0, 1, 1, 0]);
    expect([...absorbSmallClusters(vectors, labels, 3, 0.2)]).toEqual([0, 0, 0, 1, 1, 2]);
  });

  it('labels unclustered vectors by the nearest centroid', () => {
    const sample = [v(1, 0), v(0, 1)];
    expect([...assignNearest([v(0.9, 0.2), v(0.1, 0.7)], sample, Int32Array.from([0, 1]))]).toEqual([0, 1]);
  });
});
