import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/synthetic-conversation.js';
import { emptyGaussian, GLR_CEPSTRA, logDeterminant } from './gaussian-glr.js';
import type { SpeechWindow } from './speech-windows.js';
import { relinkClusters } from './window-relink.js';

/** A 3 s window (chunks [from, from + 12)) of 250 draws around `mean`, unit variance. */
function window(from: number, mean: readonly number[], random: () => number): SpeechWindow {
  const g = emptyGaussian();
  const x = new Float64Array(GLR_CEPSTRA);
  for (let f = 0; f < 250; f++) {
    for (let i = 0; i < GLR_CEPSTRA; i++) {
      x[i] = (mean[i] ?? 0) + Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    }
    g.frames++;
    for (let i = 0, t = 0; i < GLR_CEPSTRA; i++) {
      g.sum[i] = g.sum[i]! + x[i]!;
      for (let j = 0; j <= i; j++, t++) g.outer[t] = g.outer[t]! + x[i]! * x[j]!;
    }
  }
  return { region: from, from, to: from + 12, gaussian: g, logDet: logDeterminant(g) };
}

const voiceA: number[] = [];
const voiceB = Array.from({ length: GLR_CEPSTRA }, (_, i) => (i < 6 ? 3 : 0));

/** Windows of the given voices, one every 12 chunks, and chunk labels from `clusterOf`. */
function setUp(voices: number[][], clusterOf: (i: number) => number) {
  const random = seededRandom(11);
  const windows = voices.map((v, i) => window(i * 12, v, random));
  const chunkLabels = new Int32Array(voices.length * 12 + 24).fill(-1);
  for (let i = 0; i < voices.length; i++) chunkLabels.fill(clusterOf(i), i * 12, i * 12 + 12);
  return { windows, chunkLabels };
}

describe('relinkClusters', () => {
  it('joins clusters of one voice and keeps two voices apart', () => {
    // Clusters 0 and 2 are voice A, 1 is voice B (as BIC might split a looped voice).
    const { windows, chunkLabels } = setUp([voiceA, voiceA, voiceB, voiceB, voiceA, voiceA], (i) =>
      i < 2 ? 0 : i < 4 ? 1 : 2,
    );
    expect([...relinkClusters(windows, chunkLabels, 3, 0.95, 1)]).toEqual([0, 1, 0]);
  });

  it('leaves clusters without a window as they are, and never goes below minClusters', () => {
    const { windows, chunkLabels } = setUp([voiceA, voiceA, voiceA, voiceA], (i) => (i < 2 ? 0 : 1));
    // Cluster 2 holds only speech too short for a window (its chunks past the last window).
    chunkLabels.fill(2, 48, 52);
    expect([...relinkClusters(windows, chunkLabels, 3, 0.95, 1)]).toEqual([0, 0, 2]);
    expect([...relinkClusters(windows, chunkLabels, 3, 0.95, 3)]).toEqual([0, 1, 2]);
  });
});
