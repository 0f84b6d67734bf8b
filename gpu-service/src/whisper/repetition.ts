/**
 * Hallucinated loops ("thank you thank you thank you …", a phrase over and over): a block of tokens
 * repeated back to back. Compression ratio catches long loops over a whole window; this catches
 * shorter ones inside otherwise good output, and removes what the temperature fallback could not.
 */
export interface Loop {
  start: number;
  period: number;
  repeats: number;
}

const MAX_PERIOD = 24;

/** Repeats needed to call a block a loop: short blocks repeat legitimately ("no, no"), long ones rarely. */
function minRepeats(period: number): number {
  return period <= 2 ? 5 : period <= 6 ? 4 : 3;
}

/** The loop covering the most tokens, if any. */
export function findLoop(tokens: readonly number[]): Loop | undefined {
  let best: Loop | undefined;
  for (let period = 1; period <= MAX_PERIOD; period++) {
    for (let start = 0; start + period * 2 <= tokens.length; start++) {
      let repeats = 1;
      while (start + (repeats + 1) * period <= tokens.length) {
        let same = true;
        for (let k = 0; k < period && same; k++) {
          same = tokens[start + k] === tokens[start + repeats * period + k];
        }
        if (!same) break;
        repeats++;
      }
      if (repeats >= minRepeats(period) && (!best || repeats * period > best.repeats * best.period)) {
        best = { start, period, repeats };
      }
      // The rest of this run cannot start a longer loop of the same period.
      if (repeats > 1) start += (repeats - 1) * period;
    }
  }
  return best;
}

/** Keeps one copy of every loop's block. */
export function collapseLoops(tokens: readonly number[]): number[] {
  return keptAfterCollapse(tokens).map((i) => tokens[i]!);
}

/** The positions `collapseLoops` keeps, so per-token data (times) can follow the tokens. */
export function keptAfterCollapse(tokens: readonly number[]): number[] {
  let kept = tokens.map((_, i) => i);
  let out = [...tokens];
  for (let loop = findLoop(out); loop; loop = findLoop(out)) {
    const cut = (xs: number[]) => [
      ...xs.slice(0, loop!.start + loop!.period),
      ...xs.slice(loop!.start + loop!.repeats * loop!.period),
    ];
    out = cut(out);
    kept = cut(kept);
  }
  return kept;
}
