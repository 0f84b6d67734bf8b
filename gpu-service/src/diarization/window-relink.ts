import { agglomerate } from './agglomerative.js';
import type { SpeechWindow } from './speech-windows.js';
import { averageLinkage, subsample } from './window-linkage.js';

/** Windows compared per cluster: the average over a subsample is as good and bounded in cost. */
const MAX_COMPARED = 48;

/**
 * Second look at BIC's clusters, on a scale that does not grow with the data: the average per-frame
 * GLR between the 3 s windows of two clusters, merged below `threshold`. BIC weighs all of a cluster's
 * frames as evidence, which audio heard more than once (a loop, a jingle, one speaker's clips played
 * round) inflates: measured, looped single speakers split into clusters 0.84–0.91 apart on this scale,
 * while every pair of different people BIC found in 24 LibriSpeech conversations is 0.98 or more
 * apart. Clusters without a window (only short or quiet speech) keep BIC's verdict.
 *
 * `chunkLabels` gives each 0.25 s chunk its cluster (−1 for none); a window belongs to the cluster
 * most of its chunks have. Returns the new label of each cluster.
 */
export function relinkClusters(
  windows: readonly SpeechWindow[],
  chunkLabels: Int32Array,
  clusters: number,
  threshold: number,
  minClusters: number,
): Int32Array {
  const identity = Int32Array.from({ length: clusters }, (_, i) => i);
  const members: SpeechWindow[][] = Array.from({ length: clusters }, () => []);
  for (const w of windows) {
    const votes = new Map<number, number>();
    for (let c = w.from; c < w.to; c++) {
      const label = chunkLabels[c] ?? -1;
      if (label >= 0) votes.set(label, (votes.get(label) ?? 0) + 1);
    }
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    if (best && best[1] * 2 > w.to - w.from) members[best[0]]!.push(w);
  }
  const judged = members.flatMap((m, i) => (m.length > 0 ? [i] : []));
  if (judged.length < 2) return identity;
  const sampled = judged.map((i) => subsample(members[i]!, MAX_COMPARED));
  const labels = agglomerate(judged.length, (a, b) => averageLinkage(sampled[a]!, sampled[b]!), {
    threshold,
    minClusters: Math.max(1, minClusters - (clusters - judged.length)),
    sizes: judged.map((i) => members[i]!.length),
  });
  // Each merged group takes its first member's label; unjudged clusters keep theirs.
  const first = new Map<number, number>();
  const out = identity.slice();
  for (const [k, cluster] of judged.entries()) {
    if (!first.has(labels[k]!)) first.set(labels[k]!, cluster);
    out[cluster] = first.get(labels[k]!)!;
  }
  return out;
}
