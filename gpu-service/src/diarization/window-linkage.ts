import { glrDistance } from './gaussian-glr.js';
import type { SpeechWindow } from './speech-windows.js';

/** Stand-in for a distance that could not be computed (a singular covariance): far, never NaN. */
export const FAR = 10;

/** At most about `max` of `items`, evenly spaced: average linkage over a subsample is as good and bounded in cost. */
export function subsample<T>(items: readonly T[], max: number): T[] {
  const stride = Math.ceil(items.length / max);
  return items.filter((_, i) => i % stride === 0);
}

/** Average linkage between two sets of 3 s windows: the mean per-frame GLR over every pair. */
export function averageLinkage(a: readonly SpeechWindow[], b: readonly SpeechWindow[]): number {
  if (a.length === 0 || b.length === 0) return FAR;
  let sum = 0;
  for (const x of a) {
    for (const y of b) {
      const d = glrDistance(x.gaussian, x.logDet, y.gaussian, y.logDet);
      sum += Number.isNaN(d) ? FAR : d;
    }
  }
  return sum / (a.length * b.length);
}
