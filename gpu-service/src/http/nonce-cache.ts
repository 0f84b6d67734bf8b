/**
 * Signed WebSocket upgrades carry no body to bind them to one use, so each names a nonce, and a nonce
 * seen within the signature's lifetime is refused: a captured upgrade cannot open a second session.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  /** True the first time `nonce` is offered within the TTL. */
  claim(nonce: string, now = Date.now()): boolean {
    for (const [key, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(key);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now + this.ttlMs);
    return true;
  }
}
