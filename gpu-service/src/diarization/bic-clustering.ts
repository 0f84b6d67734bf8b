/**
 * Agglomerative clustering of speech units on pooled Gaussians, stopped by the Bayesian information
 * criterion. Unlike a fixed distance threshold between short windows, each merge compares the two
 * clusters' pooled statistics, and the penalty scales with how much speech they hold: measured on real
 * voices, the per-frame GLR between two pieces of one voice falls roughly as 1/duration (0.88 at 2 s,
 * 0.45 at 4 s, 0.19 at 8 s on LibriSpeech) while between two people it stays near 1, so large clusters
 * can be told apart, or kept together, far more surely than 3 s windows can.
 */
import { addInto, emptyGaussian, type Gaussian, GLR_CEPSTRA, logDeterminant } from './gaussian-glr.js';
import { MergeTable } from './merge-table.js';

/** Free parameters of one full-covariance Gaussian: the ΔBIC penalty counts the second one's. */
const PARAMETERS = GLR_CEPSTRA + (GLR_CEPSTRA * (GLR_CEPSTRA + 1)) / 2;

export interface BicOptions {
  /** Penalty weight λ: two clusters stay apart when their GLR beats λ · ½ · P · log(n). */
  lambda: number;
  /**
   * Per-frame GLR under which a unit is a repeat of an earlier one: it takes that unit's label and
   * adds nothing to the clustering. The same audio played again (a loop, a jingle, a test file made
   * of one speaker's clips played round) comes within 0.3 of its first playing, and counted again it
   * multiplies the evidence BIC weighs against its penalty: a minute of one voice looped three times
   * split into up to 13 clusters. Two stretches of different people are never that close (none under
   * 0.5 among the 3 s units of 24 LibriSpeech conversations and 11 AMI clips); two of one person
   * sometimes are (from 0.25), and counting them once changes little.
   */
  repeat: number;
  minClusters: number;
  maxClusters: number;
}

/** A unit to cluster: its statistics, and which speech region it comes from (units in time order). */
export interface BicUnit {
  region: number;
  gaussian: Gaussian;
  logDet: number;
}

interface Cluster {
  gaussian: Gaussian;
  logDet: number;
}

const scratch = emptyGaussian();

/** ΔBIC of keeping the two apart: negative when they should be one. */
export function mergeCost(a: Cluster, b: Cluster, lambda: number): number {
  scratch.frames = 0;
  scratch.sum.fill(0);
  scratch.outer.fill(0);
  addInto(scratch, a.gaussian);
  addInto(scratch, b.gaussian);
  const joint = logDeterminant(scratch);
  // Sums of nonsingular covariances are nonsingular; this only guards rounding.
  if (Number.isNaN(joint)) return Number.MAX_VALUE;
  const n = scratch.frames;
  const glr = (n * joint - a.gaussian.frames * a.logDet - b.gaussian.frames * b.logDet) / 2;
  return glr - lambda * 0.5 * PARAMETERS * Math.log(n);
}

/** Per-frame GLR between two units. */
function perFrameGlr(a: Cluster, b: Cluster): number {
  const cost = mergeCost(a, b, 0);
  return cost / (a.gaussian.frames + b.gaussian.frames);
}

function pooled(units: readonly BicUnit[]): Cluster {
  const gaussian = emptyGaussian();
  for (const u of units) addInto(gaussian, u.gaussian);
  return { gaussian, logDet: logDeterminant(gaussian) };
}

/**
 * Labels for `units` (0…k-1). Repeats of earlier units are set aside; then a linear pass joins each
 * unit to the one before it in the same region when they should be one (speech within a region mostly
 * continues with the same voice); then the closest pair of clusters merges until every pair's ΔBIC is
 * positive, within min/max clusters. More than `maxClustered` clusters after the linear pass: an even
 * subsample is clustered and the rest join the cluster they cost least to merge with.
 */
export function bicCluster(all: readonly BicUnit[], options: BicOptions, maxClustered = 1500): Int32Array {
  const labels = new Int32Array(all.length);
  if (all.length === 0) return labels;
  const twin = new Int32Array(all.length).fill(-1);
  const kept: number[] = [];
  for (const [i, unit] of all.entries()) {
    for (const k of kept) {
      if (perFrameGlr(unit, all[k]!) < options.repeat) {
        twin[i] = k;
        break;
      }
    }
    if (twin[i]! < 0) kept.push(i);
  }
  // Asked for more speakers than there are distinct units: repeats count after all.
  const distinct = kept.length >= options.minClusters ? kept.map((i) => all[i]!) : [...all];
  const keptLabels = clusterDistinct(distinct, options, maxClustered);
  if (distinct.length === all.length) return keptLabels;
  const labelOf = new Map(kept.map((unit, k) => [unit, keptLabels[k]!]));
  for (let i = 0; i < all.length; i++) labels[i] = labelOf.get(twin[i]! < 0 ? i : twin[i]!)!;
  return labels;
}

function clusterDistinct(units: readonly BicUnit[], options: BicOptions, maxClustered: number): Int32Array {
  const n = units.length;
  const labels = new Int32Array(n);
  // Linear pass: runs of units that stay together (skipped if it leaves fewer than asked for).
  let runs: BicUnit[][] = [[units[0]!]];
  let run = pooled(runs[0]!);
  for (let i = 1; i < n; i++) {
    const unit = units[i]!;
    if (unit.region === units[i - 1]!.region && mergeCost(run, unit, options.lambda) < 0) {
      runs.at(-1)!.push(unit);
      addInto(run.gaussian, unit.gaussian);
      run.logDet = logDeterminant(run.gaussian);
    } else {
      runs.push([unit]);
      run = pooled([unit]);
    }
    labels[i] = runs.length - 1;
  }
  if (runs.length < options.minClusters) {
    runs = units.map((u) => [u]);
    labels.forEach((_, i) => {
      labels[i] = i;
    });
  }
  const clusters = runs.map(pooled);
  const stride = Math.ceil(clusters.length / maxClustered);
  const sample = clusters.filter((_, i) => i % stride === 0);
  const sampleLabels = agglomerateClusters(sample, options);
  const merged: Cluster[] = Array.from({ length: Math.max(...sampleLabels) + 1 }, () => ({
    gaussian: emptyGaussian(),
    logDet: 0,
  }));
  for (const [i, c] of sample.entries()) addInto(merged[sampleLabels[i]!]!.gaussian, c.gaussian);
  for (const c of merged) c.logDet = logDeterminant(c.gaussian);
  const runLabels = clusters.map((c, i) => {
    if (i % stride === 0) return sampleLabels[i / stride]!;
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const [k, m] of merged.entries()) {
      const cost = mergeCost(m, c, options.lambda);
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    }
    return best;
  });
  return Int32Array.from(labels, (r) => runLabels[r]!);
}

/** Greedy merging of the cheapest pair, keeping each cluster's cheapest partner cached. */
function agglomerateClusters(initial: readonly Cluster[], options: BicOptions): Int32Array {
  const n = initial.length;
  const clusters = initial.map((c) => ({
    gaussian: { frames: c.gaussian.frames, sum: c.gaussian.sum.slice(), outer: c.gaussian.outer.slice() },
    logDet: c.logDet,
  }));
  const table = new MergeTable(n, (a, b) => mergeCost(clusters[a]!, clusters[b]!, options.lambda));
  const minClusters = Math.max(1, options.minClusters);
  for (let count = n; count > minClusters; count--) {
    const pair = table.cheapest();
    if (!pair) break;
    if (pair.cost > 0 && count <= options.maxClusters) break;
    const { a, b } = pair;
    addInto(clusters[a]!.gaussian, clusters[b]!.gaussian);
    clusters[a]!.logDet = logDeterminant(clusters[a]!.gaussian);
    // Only the merged cluster's costs change: pooled statistics, not a linkage of the old ones.
    table.merge(a, b, (k) => mergeCost(clusters[a]!, clusters[k]!, options.lambda));
  }
  return table.labels();
}
