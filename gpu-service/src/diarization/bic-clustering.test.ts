import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/synthetic-conversation.js';
import { type BicUnit, bicCluster } from './bic-clustering.js';
import { emptyGaussian, GLR_CEPSTRA, logDeterminant } from './gaussian-glr.js';

/** A unit of `frames` draws from a Gaussian with unit variance around `mean` (Box–Muller, seeded). */
function unit(region: number, mean: readonly number[], frames: number, random: () => number): BicUnit {
  const g = emptyGaussian();
  const x = new Float64Array(GLR_CEPSTRA);
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < GLR_CEPSTRA; i++) {
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      x[i] = (mean[i] ?? 0) + z;
    }
    g.frames++;
    for (let i = 0, t = 0; i < GLR_CEPSTRA; i++) {
      g.sum[i] = g.sum[i]! + x[i]!;
      for (let j = 0; j <= i; j++, t++) g.outer[t] = g.outer[t]! + x[i]! * x[j]!;
    }
  }
  return { region, gaussian: g, logDet: logDeterminant(g) };
}

const options = { lambda: 2.25, floor: 0.35, minClusters: 1, maxClusters: 16 };
const voiceA: number[] = [];
// Two standard deviations apart in half the cepstra: per-frame GLR ≈ 2 between two 2.5 s units of
// each, as far apart as two people are in real recordings (≈ 1–2).
const voiceB = Array.from({ length: GLR_CEPSTRA }, (_, i) => (i < 6 ? 2 : 0));

describe('bicCluster', () => {
  it('keeps units of one distribution one cluster, however many there are', () => {
    const random = seededRandom(1);
    // 60 units of 2.5 s in separate regions (no linear pass): every merge must pass the criterion.
    const units = Array.from({ length: 60 }, (_, i) => unit(i, voiceA, 250, random));
    expect(new Set(bicCluster(units, options)).size).toBe(1);
  });

  it('separates two distributions interleaved in time, and labels each unit by its own', () => {
    const random = seededRandom(2);
    const units = Array.from({ length: 16 }, (_, i) => unit(i, i % 2 ? voiceB : voiceA, 250, random));
    const labels = bicCluster(units, options);
    expect(new Set(labels).size).toBe(2);
    for (let i = 0; i < units.length; i++) expect(labels[i] === labels[0]).toBe(i % 2 === 0);
  });

  it('joins consecutive units of one region first, and splits a region where the voice changes', () => {
    const random = seededRandom(3);
    const units = [
      ...Array.from({ length: 4 }, () => unit(0, voiceA, 250, random)),
      ...Array.from({ length: 4 }, () => unit(0, voiceB, 250, random)),
    ];
    const labels = [...bicCluster(units, options)];
    expect(labels).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('merges down to maxClusters and stops at minClusters', () => {
    const random = seededRandom(4);
    const units = Array.from({ length: 12 }, (_, i) => unit(i, i % 2 ? voiceB : voiceA, 250, random));
    expect(new Set(bicCluster(units, { ...options, maxClusters: 1 })).size).toBe(1);
    expect(new Set(bicCluster(units, { ...options, minClusters: 3 })).size).toBe(3);
  });

  it('labels every unit when more are clustered than the subsample holds', () => {
    const random = seededRandom(5);
    const voice = (i: number) => (Math.floor(i / 3) % 2 ? voiceB : voiceA);
    const units = Array.from({ length: 40 }, (_, i) => unit(i, voice(i), 250, random));
    const labels = bicCluster(units, options, 10);
    expect(new Set(labels).size).toBe(2);
    for (let i = 0; i < units.length; i++) expect(labels[i] === labels[0]).toBe(voice(i) === voiceA);
  });

  it('handles no units and one unit', () => {
    expect([...bicCluster([], options)]).toEqual([]);
    expect([...bicCluster([unit(0, voiceA, 250, seededRandom(6))], options)]).toEqual([0]);
  });
});
