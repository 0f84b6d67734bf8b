import { describe, expect, it } from 'vitest';
import { NonceCache } from './nonce-cache.js';
import { RealtimeCapacity } from './realtime-capacity.js';

describe('RealtimeCapacity', () => {
  it('counts places reserved and sessions open against its cap, refusing more with 429', () => {
    const capacity = new RealtimeCapacity(2);
    const release = capacity.reserve();
    const socket = { close: () => undefined };
    capacity.add(socket);
    expect(capacity.sessions).toBe(2);
    expect(() => capacity.reserve()).toThrow(expect.objectContaining({ status: 429, retryAfter: 5 }));
    release();
    release();
    expect(capacity.sessions).toBe(1);
    capacity.remove(socket);
    expect(capacity.sessions).toBe(0);
  });

  it('draining closes every live session with 1012 (the edge moves them) and refuses new ones with 503', () => {
    const capacity = new RealtimeCapacity(4);
    const closed: Array<[number | undefined, string | undefined]> = [];
    for (let i = 0; i < 2; i++) capacity.add({ close: (code, reason) => closed.push([code, reason]) });
    capacity.drain();
    expect(closed).toEqual([
      [1012, 'GPU service restarting'],
      [1012, 'GPU service restarting'],
    ]);
    expect(() => capacity.reserve()).toThrow(expect.objectContaining({ status: 503 }));
  });
});

describe('NonceCache', () => {
  it('accepts a nonce once within its lifetime, and again after it', () => {
    const nonces = new NonceCache(1000);
    expect(nonces.claim('a', 0)).toBe(true);
    expect(nonces.claim('a', 500)).toBe(false);
    expect(nonces.claim('b', 600)).toBe(true);
    expect(nonces.claim('a', 1001)).toBe(true);
    expect(nonces.claim('b', 1100)).toBe(false);
  });
});
