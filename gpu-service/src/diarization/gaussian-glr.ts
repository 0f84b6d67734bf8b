/**
 * Full-covariance Gaussians of cepstral frames and the generalised likelihood ratio between two of
 * them: the classic unsupervised speaker distance (BIC segmentation and clustering are built on it).
 * Measured on real voices it separates speakers far better than distances between mean vectors, and
 * it needs no per-file scaling: it is unchanged by any affine change of the features (a microphone's
 * fixed filter shifts cepstra; the level only moves c0, which is not used), so one threshold holds
 * across recordings.
 */

/** Cepstra c1..c12: measured better than 19, whose covariance 3 s of speech cannot estimate well. */
export const GLR_CEPSTRA = 12;
/** Lower triangle of the K×K second-moment matrix, row by row. */
export const OUTER_SIZE = (GLR_CEPSTRA * (GLR_CEPSTRA + 1)) / 2;

/** Sufficient statistics of a set of frames: count, sums, sums of products. */
export interface Gaussian {
  frames: number;
  sum: Float64Array;
  outer: Float64Array;
}

export function emptyGaussian(): Gaussian {
  return { frames: 0, sum: new Float64Array(GLR_CEPSTRA), outer: new Float64Array(OUTER_SIZE) };
}

export function addInto(target: Gaussian, other: Gaussian): void {
  target.frames += other.frames;
  for (let i = 0; i < GLR_CEPSTRA; i++) target.sum[i] = target.sum[i]! + other.sum[i]!;
  for (let i = 0; i < OUTER_SIZE; i++) target.outer[i] = target.outer[i]! + other.outer[i]!;
}

const scratch = new Float64Array(GLR_CEPSTRA * GLR_CEPSTRA);

/** log det of the covariance (Cholesky); NaN when it is singular (too few or identical frames). */
export function logDeterminant(g: Gaussian): number {
  const k = GLR_CEPSTRA;
  const n = g.frames;
  for (let i = 0, t = 0; i < k; i++) {
    for (let j = 0; j <= i; j++, t++) {
      scratch[i * k + j] = g.outer[t]! / n - (g.sum[i]! / n) * (g.sum[j]! / n);
    }
  }
  let logDet = 0;
  for (let j = 0; j < k; j++) {
    let d = scratch[j * k + j]!;
    for (let m = 0; m < j; m++) d -= scratch[j * k + m]! ** 2;
    if (!(d > 1e-12)) return Number.NaN;
    const l = Math.sqrt(d);
    scratch[j * k + j] = l;
    logDet += 2 * Math.log(l);
    for (let i = j + 1; i < k; i++) {
      let v = scratch[i * k + j]!;
      for (let m = 0; m < j; m++) v -= scratch[i * k + m]! * scratch[j * k + m]!;
      scratch[i * k + j] = v / l;
    }
  }
  return logDet;
}

const merged = emptyGaussian();

/**
 * Per-frame GLR of "one Gaussian for both" against "one each": ½ [n log|Σ| − nA log|ΣA| − nB log|ΣB|] / n.
 * Near 0.6 for two 3 s windows of one voice, above 1 for two people (real LibriSpeech and AMI speech).
 */
export function glrDistance(a: Gaussian, logDetA: number, b: Gaussian, logDetB: number): number {
  merged.frames = a.frames + b.frames;
  for (let i = 0; i < GLR_CEPSTRA; i++) merged.sum[i] = a.sum[i]! + b.sum[i]!;
  for (let i = 0; i < OUTER_SIZE; i++) merged.outer[i] = a.outer[i]! + b.outer[i]!;
  const joint = logDeterminant(merged);
  return (merged.frames * joint - a.frames * logDetA - b.frames * logDetB) / (2 * merged.frames);
}
