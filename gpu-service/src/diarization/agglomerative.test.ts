import { describe, expect, it } from 'vitest';
import { agglomerate } from './agglomerative.js';

const points = [0, 0.1, 0.2, 5, 5.1, 9, 9.2, 9.1];
const distance = (a: number, b: number) => Math.abs(points[a]! - points[b]!);

describe('agglomerate', () => {
  it('stops at the distance threshold, finding the number of groups itself', () => {
    expect([...agglomerate(points.length, distance, { threshold: 1 })]).toEqual([0, 0, 0, 1, 1, 2, 2, 2]);
  });

  it('keeps merging past the threshold down to maxClusters, and stops at minClusters', () => {
    const two = agglomerate(points.length, distance, { threshold: 1, maxClusters: 2 });
    expect(new Set(two).size).toBe(2);
    // 5 and 9 are closer than 0 and 5 under average linkage.
    expect(two[3]).toBe(two[5]);
    expect(new Set(agglomerate(points.length, distance, { threshold: 100, minClusters: 3 })).size).toBe(3);
    expect(new Set(agglomerate(points.length, distance, { threshold: 0.01, minClusters: 1 })).size).toBe(
      points.length,
    );
  });

  it('handles one point', () => {
    expect([...agglomerate(1, distance, { threshold: 1 })]).toEqual([0]);
  });
});
