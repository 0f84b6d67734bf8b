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

// Independent draws from one Gaussian are closer than any two stretches of real speech (per-frame GLR
// ≈ 0.09 for 2.5 s, against 0.25 and more for two stretches of one reader on LibriSpeech), so at the
// service's repeat threshold (0.35) they would pass for copies: repeats are off here except where they
// are the point.
const options = { lambda: 2.3, repeat: 0, minClusters: 1, maxClusters: 16 };
const REPEAT = 0.35;
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

  it('counts audio played again once: repeats add no evidence', () => {
    const random = seededRandom(7);
    // Two stretches of one voice that differ a little, as one person's sentences do: alone they merge.
    const a = unit(
      0,
      Array.from({ length: GLR_CEPSTRA }, (_, i) => (i < 4 ? 0.5 : 0)),
      250,
      random,
    );
    const b = unit(
      1,
      Array.from({ length: GLR_CEPSTRA }, (_, i) => (i < 4 ? -0.5 : 0)),
      250,
      random,
    );
    expect(new Set(bicCluster([a, b], options)).size).toBe(1);
    // Looped ten times, the same two stretches would be ten times the evidence of a difference.
    const looped = Array.from({ length: 20 }, (_, i) => ({ ...(i % 2 ? b : a), region: i }));
    expect(new Set(bicCluster(looped, options)).size).toBe(2);
    expect([...bicCluster(looped, { ...options, repeat: REPEAT })]).toEqual(Array(20).fill(0));
    // Asked for three speakers, the repeats count again rather than leave too few units.
    expect(new Set(bicCluster([a, b, a], { ...options, repeat: REPEAT, minClusters: 3 })).size).toBe(3);
  });

  it('handles no units and one unit', () => {
    expect([...bicCluster([], options)]).toEqual([]);
    expect([...bicCluster([unit(0, voiceA, 250, seededRandom(6))], options)]).toEqual([0]);
  });
});
