import { MergeTable } from './merge-table.js';

/**
 * Average-linkage agglomerative clustering on a precomputed distance function. Keeps each row's nearest
 * neighbour so a merge costs O(n) on average instead of a full O(n²) search: a few thousand points
 * cluster in well under a second.
 */
export interface ClusterOptions {
  /** Stop merging once the closest pair of clusters is farther apart than this… */
  threshold: number;
  /** …but never end with more than `maxClusters`, nor merge below `minClusters`. */
  minClusters?: number;
  maxClusters?: number;
  /** Points that are already clusters: how many members each stands for (average linkage weights). */
  sizes?: ArrayLike<number>;
}

export function agglomerate(
  count: number,
  distance: (a: number, b: number) => number,
  options: ClusterOptions,
): Int32Array {
  const minClusters = Math.max(1, options.minClusters ?? 1);
  const maxClusters = Math.max(minClusters, options.maxClusters ?? count);
  const size = Float64Array.from({ length: count }, (_, i) => options.sizes?.[i] ?? 1);
  const table = new MergeTable(count, distance);
  for (let clusters = count; clusters > minClusters; clusters--) {
    const pair = table.cheapest();
    if (!pair) break;
    if (pair.cost > options.threshold && clusters <= maxClusters) break;
    const { a, b } = pair;
    // Lance–Williams update for average linkage: the merged cluster's distance is the size-weighted mean.
    table.merge(
      a,
      b,
      (k) => (size[a]! * table.costOf(a, k) + size[b]! * table.costOf(b, k)) / (size[a]! + size[b]!),
    );
    size[a] = size[a]! + size[b]!;
  }
  return table.labels();
}
