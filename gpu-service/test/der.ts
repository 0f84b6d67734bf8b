import type { SpeakerTurn } from '@whisper-edge/shared';

export interface DerBreakdown {
  /** Scored reference speech, seconds (collars excluded). */
  total: number;
  miss: number;
  falseAlarm: number;
  confusion: number;
  der: number;
}

const STEP = 0.01;

/** Which speakers are active in each 10 ms frame. */
function activity(turns: readonly SpeakerTurn[], frames: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const turn of turns) {
    const row = out.get(turn.speaker) ?? new Uint8Array(frames);
    for (
      let f = Math.max(0, Math.round(turn.start / STEP));
      f < Math.min(frames, Math.round(turn.end / STEP));
      f++
    ) {
      row[f] = 1;
    }
    out.set(turn.speaker, row);
  }
  return out;
}

/** Best one-to-one mapping of reference to hypothesis speakers by overlap (exhaustive: few speakers). */
function bestMapping(overlap: number[][]): number {
  let best = 0;
  const used = new Set<number>();
  const visit = (r: number, sum: number) => {
    if (r === overlap.length) {
      best = Math.max(best, sum);
      return;
    }
    visit(r + 1, sum);
    for (let h = 0; h < (overlap[r]?.length ?? 0); h++) {
      if (used.has(h)) continue;
      used.add(h);
      visit(r + 1, sum + overlap[r]![h]!);
      used.delete(h);
    }
  };
  visit(0, 0);
  return best;
}

/**
 * Diarization error rate as NIST md-eval defines it: (missed + false alarm + confused speaker time) /
 * reference speech time, ignoring `collar` seconds either side of every reference boundary, with the
 * hypothesis labels mapped to the reference ones that maximise agreement.
 */
export function diarizationErrorRate(
  reference: readonly SpeakerTurn[],
  hypothesis: readonly SpeakerTurn[],
  collar = 0.25,
): DerBreakdown {
  const end = Math.max(0, ...reference.map((t) => t.end), ...hypothesis.map((t) => t.end));
  const frames = Math.ceil(end / STEP) + 1;
  const scored = new Uint8Array(frames).fill(1);
  for (const turn of reference) {
    for (const edge of [turn.start, turn.end]) {
      for (
        let f = Math.max(0, Math.round((edge - collar) / STEP));
        f < Math.min(frames, Math.round((edge + collar) / STEP));
        f++
      ) {
        scored[f] = 0;
      }
    }
  }
  const ref = [...activity(reference, frames).values()];
  const hyp = [...activity(hypothesis, frames).values()];
  let total = 0;
  let miss = 0;
  let falseAlarm = 0;
  let matchedMax = 0;
  const overlap = ref.map(() => hyp.map(() => 0));
  for (let f = 0; f < frames; f++) {
    if (!scored[f]) continue;
    let nRef = 0;
    let nHyp = 0;
    for (const row of ref) nRef += row[f]!;
    for (const row of hyp) nHyp += row[f]!;
    total += nRef;
    miss += Math.max(0, nRef - nHyp);
    falseAlarm += Math.max(0, nHyp - nRef);
    matchedMax += Math.min(nRef, nHyp);
    for (const [r, rRow] of ref.entries()) {
      if (!rRow[f]) continue;
      for (const [h, hRow] of hyp.entries()) if (hRow[f]) overlap[r]![h]!++;
    }
  }
  const confusion = matchedMax - bestMapping(overlap);
  const seconds = (n: number) => n * STEP;
  return {
    total: seconds(total),
    miss: seconds(miss),
    falseAlarm: seconds(falseAlarm),
    confusion: seconds(confusion),
    der: total === 0 ? 0 : (miss + falseAlarm + confusion) / total,
  };
}
