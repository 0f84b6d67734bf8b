import { describe, expect, it } from 'vitest';
import { needsProbe, type PoolMember, pickMember } from './gpu-pool.js';

const member = (url: string, over: Partial<PoolMember> = {}): PoolMember => ({
  url,
  healthy: true,
  checkedAt: 0,
  leases: 0,
  load: { in_flight: 0, queued: 0, max_concurrent: 4, max_queued: 8 },
  ...over,
});

describe('GPU pool choice', () => {
  it('sends work to the least-loaded healthy member, relative to its capacity', () => {
    const a = member('a', { leases: 2 });
    const b = member('b', { leases: 1 });
    expect(pickMember([a, b], [])?.url).toBe('b');
    // A bigger service with more work can still be the less loaded one.
    const big = member('big', {
      leases: 3,
      load: { in_flight: 3, queued: 0, max_concurrent: 16, max_queued: 8 },
    });
    expect(pickMember([a, b, big], [])?.url).toBe('big');
    // Work queued there by other edges counts too.
    const queued = member('b', {
      leases: 0,
      load: { in_flight: 4, queued: 6, max_concurrent: 4, max_queued: 8 },
    });
    expect(pickMember([a, queued], [])?.url).toBe('a');
  });

  it('skips unhealthy and excluded members', () => {
    const a = member('a', { healthy: false });
    const b = member('b', { leases: 5 });
    const c = member('c', { leases: 9 });
    expect(pickMember([a, b, c], [])?.url).toBe('b');
    expect(pickMember([a, b, c], ['b'])?.url).toBe('c');
  });

  it('falls back to the member that failed longest ago when none is healthy', () => {
    const a = member('a', { healthy: false, checkedAt: 200 });
    const b = member('b', { healthy: false, checkedAt: 100 });
    expect(pickMember([a, b], [])?.url).toBe('b');
    expect(pickMember([a, b], ['a', 'b'])).toBeUndefined();
  });

  it('re-probes failed members sooner than healthy ones', () => {
    expect(needsProbe(member('a', { checkedAt: 0 }), 10_000)).toBe(false);
    expect(needsProbe(member('a', { checkedAt: 0 }), 16_000)).toBe(true);
    expect(needsProbe(member('a', { healthy: false, checkedAt: 0 }), 4_000)).toBe(true);
  });
});
