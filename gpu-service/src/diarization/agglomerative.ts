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
  const d = new Float64Array(count * count);
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      const value = distance(a, b);
      d[a * count + b] = value;
      d[b * count + a] = value;
    }
  }
  const size = Float64Array.from({ length: count }, (_, i) => options.sizes?.[i] ?? 1);
  const active = new Uint8Array(count).fill(1);
  const nearest = new Int32Array(count).fill(-1);
  const nearestDistance = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  const parent = Int32Array.from({ length: count }, (_, i) => i);

  const refresh = (a: number) => {
    nearest[a] = -1;
    nearestDistance[a] = Number.POSITIVE_INFINITY;
    for (let b = 0; b < count; b++) {
      if (b !== a && active[b] && d[a * count + b]! < nearestDistance[a]!) {
        nearestDistance[a] = d[a * count + b]!;
        nearest[a] = b;
      }
    }
  };
  for (let a = 0; a < count; a++) refresh(a);

  let clusters = count;
  while (clusters > minClusters) {
    let a = -1;
    for (let i = 0; i < count; i++) {
      if (active[i] && nearest[i]! >= 0 && (a < 0 || nearestDistance[i]! < nearestDistance[a]!)) a = i;
    }
    if (a < 0) break;
    if (nearestDistance[a]! > options.threshold && clusters <= maxClusters) break;
    const b = nearest[a]!;
    // Lance–Williams update for average linkage: the merged cluster's distance is the size-weighted mean.
    for (let k = 0; k < count; k++) {
      if (!active[k] || k === a || k === b) continue;
      const merged = (size[a]! * d[a * count + k]! + size[b]! * d[b * count + k]!) / (size[a]! + size[b]!);
      d[a * count + k] = merged;
      d[k * count + a] = merged;
    }
    size[a] = size[a]! + size[b]!;
    active[b] = 0;
    parent[b] = a;
    clusters--;
    for (let k = 0; k < count; k++) {
      if (!active[k]) continue;
      if (k === a || nearest[k] === a || nearest[k] === b) refresh(k);
      else if (d[k * count + a]! < nearestDistance[k]!) {
        nearestDistance[k] = d[k * count + a]!;
        nearest[k] = a;
      }
    }
  }

  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    return r;
  };
  const ids = new Map<number, number>();
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const r = root(i);
    if (!ids.has(r)) ids.set(r, ids.size);
    labels[i] = ids.get(r)!;
  }
  return labels;
}
