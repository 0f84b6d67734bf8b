/**
 * Local agreement between successive partial decodes (LocalAgreement-2, as in whisper_streaming):
 * tokens two hypotheses in a row agree on are committed, and committed tokens are never taken back.
 * Each decode is forced to continue from the committed tokens, so a hypothesis is only what follows
 * them; the previous one is kept relative to the same point.
 */
export class TokenAgreement {
  private readonly agreed: number[] = [];
  private previous: number[] | null = null;

  /** Everything committed, in order: what the next decode must continue from. */
  get committed(): readonly number[] {
    return this.agreed;
  }

  /** The latest hypothesis beyond the committed tokens (what is shown as not yet stable). */
  get pending(): readonly number[] {
    return this.previous ?? [];
  }

  /**
   * A new hypothesis, continuing from `committed`; returns the tokens it commits (the prefix it shares
   * with the previous hypothesis), possibly none.
   */
  offer(hypothesis: readonly number[]): number[] {
    if (this.previous === null) {
      this.previous = [...hypothesis];
      return [];
    }
    let n = 0;
    while (n < hypothesis.length && n < this.previous.length && hypothesis[n] === this.previous[n]) n++;
    const newly = hypothesis.slice(0, n);
    this.agreed.push(...newly);
    this.previous = hypothesis.slice(n);
    return newly;
  }

  /** Takes the latest hypothesis as agreed whole (the window moves on and cannot decode it again). */
  settle(): number[] {
    const rest = this.previous ?? [];
    this.agreed.push(...rest);
    this.previous = null;
    return [...rest];
  }
}
