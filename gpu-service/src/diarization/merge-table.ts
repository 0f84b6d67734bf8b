/**
 * Greedy agglomerative merging over a symmetric cost matrix: each cluster's cheapest partner is kept,
 * so a merge costs O(n) on average instead of a full O(n²) search, and merged clusters are joined by
 * parent links. Average linkage (agglomerative.ts) and BIC clustering (bic-clustering.ts) differ only
 * in what a merge does to the costs.
 */
export class MergeTable {
  private readonly cost: Float64Array;
  private readonly active: Uint8Array;
  private readonly nearest: Int32Array;
  private readonly nearestCost: Float64Array;
  private readonly parent: Int32Array;

  constructor(
    readonly size: number,
    costOf: (a: number, b: number) => number,
  ) {
    const n = size;
    this.cost = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const value = costOf(a, b);
        this.cost[a * n + b] = value;
        this.cost[b * n + a] = value;
      }
    }
    this.active = new Uint8Array(n).fill(1);
    this.nearest = new Int32Array(n).fill(-1);
    this.nearestCost = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    for (let a = 0; a < n; a++) this.refresh(a);
  }

  /** The cost between two clusters (as it stood when last set). */
  costOf(a: number, b: number): number {
    return this.cost[a * this.size + b]!;
  }

  /** The cheapest pair still apart, `a` the cluster whose cheapest partner is `b`; undefined if none. */
  cheapest(): { a: number; b: number; cost: number } | undefined {
    let a = -1;
    for (let i = 0; i < this.size; i++) {
      if (this.active[i] && this.nearest[i]! >= 0 && (a < 0 || this.nearestCost[i]! < this.nearestCost[a]!))
        a = i;
    }
    return a < 0 ? undefined : { a, b: this.nearest[a]!, cost: this.nearestCost[a]! };
  }

  /** Merges `b` into `a`; `costToMerged(k)` is the new cost between the merged cluster and cluster `k`. */
  merge(a: number, b: number, costToMerged: (k: number) => number): void {
    const n = this.size;
    this.active[b] = 0;
    this.parent[b] = a;
    for (let k = 0; k < n; k++) {
      if (!this.active[k] || k === a) continue;
      const value = costToMerged(k);
      this.cost[a * n + k] = value;
      this.cost[k * n + a] = value;
    }
    for (let k = 0; k < n; k++) {
      if (!this.active[k]) continue;
      if (k === a || this.nearest[k] === a || this.nearest[k] === b) this.refresh(k);
      else if (this.cost[k * n + a]! < this.nearestCost[k]!) {
        this.nearestCost[k] = this.cost[k * n + a]!;
        this.nearest[k] = a;
      }
    }
  }

  /** Each point's cluster, numbered 0, 1, … in order of first appearance. */
  labels(): Int32Array {
    const root = (i: number): number => {
      let r = i;
      while (this.parent[r] !== r) r = this.parent[r]!;
      return r;
    };
    const ids = new Map<number, number>();
    return Int32Array.from({ length: this.size }, (_, i) => {
      const r = root(i);
      if (!ids.has(r)) ids.set(r, ids.size);
      return ids.get(r)!;
    });
  }

  private refresh(a: number): void {
    const n = this.size;
    this.nearest[a] = -1;
    this.nearestCost[a] = Number.POSITIVE_INFINITY;
    for (let b = 0; b < n; b++) {
      if (b !== a && this.active[b] && this.cost[a * n + b]! < this.nearestCost[a]!) {
        this.nearestCost[a] = this.cost[a * n + b]!;
        this.nearest[a] = b;
      }
    }
  }
}
