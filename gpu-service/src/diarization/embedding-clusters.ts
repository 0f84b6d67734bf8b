/** Helpers for clustering per-segment embedding vectors with cosine distance. */

/** Z-scores each dimension across the file, so no coefficient dominates by its scale alone. */
export function standardise(vectors: Float64Array[]): void {
  const dims = vectors[0]!.length;
  for (let d = 0; d < dims; d++) {
    // A segment without a measurement (no voiced pitch) sits at the mean: it neither pulls nor pushes.
    const known = vectors.filter((v) => !Number.isNaN(v[d]));
    let mean = 0;
    for (const v of known) mean += v[d]!;
    mean /= known.length || 1;
    let variance = 0;
    for (const v of known) variance += (v[d]! - mean) ** 2;
    const std = Math.sqrt(variance / (known.length || 1)) || 1;
    for (const v of vectors) v[d] = Number.isNaN(v[d]) ? 0 : (v[d]! - mean) / std;
  }
}

export function cosineDistance(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return 1 - dot / (Math.sqrt(na * nb) || 1);
}

function centroidsOf(vectors: Float64Array[], labels: Int32Array, k: number): Float64Array[] {
  const centroids = Array.from({ length: k }, () => new Float64Array(vectors[0]!.length));
  for (const [i, v] of vectors.entries()) {
    const c = centroids[labels[i]!]!;
    for (let d = 0; d < v.length; d++) c[d] = c[d]! + v[d]!;
  }
  return centroids;
}

/**
 * Threshold clustering over-splits now and then into a big cluster per voice plus a few stray
 * segments (a cough, a clipped word); those strays join their nearest real cluster.
 */
export function absorbSmallClusters(
  vectors: Float64Array[],
  labels: Int32Array,
  minClusters: number,
  minShare: number,
): Int32Array {
  const out = Int32Array.from(labels);
  for (;;) {
    const sizes = new Map<number, number>();
    for (const label of out) sizes.set(label, (sizes.get(label) ?? 0) + 1);
    if (sizes.size <= minClusters) return out;
    const [smallest, size] = [...sizes.entries()].sort((a, b) => a[1] - b[1])[0]!;
    if (size >= minShare * vectors.length) return out;
    const k = Math.max(...out) + 1;
    const centroids = centroidsOf(vectors, out, k);
    for (const [i, v] of vectors.entries()) {
      if (out[i] !== smallest) continue;
      let best = -1;
      for (const other of sizes.keys()) {
        if (other === smallest) continue;
        if (best < 0 || cosineDistance(v, centroids[other]!) < cosineDistance(v, centroids[best]!))
          best = other;
      }
      out[i] = best;
    }
  }
}

/** Labels every vector with the cluster whose centroid (over the clustered sample) is closest. */
export function assignNearest(
  vectors: Float64Array[],
  sample: Float64Array[],
  sampleLabels: Int32Array,
): Int32Array {
  const k = Math.max(...sampleLabels) + 1;
  const centroids = centroidsOf(sample, sampleLabels, k);
  return Int32Array.from(vectors, (v) => {
    let best = 0;
    for (let c = 1; c < k; c++)
      if (cosineDistance(v, centroids[c]!) < cosineDistance(v, centroids[best]!)) best = c;
    return best;
  });
}
