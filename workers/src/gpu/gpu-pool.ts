import type { GpuHealth } from './gpu-client.js';

export interface PoolMember {
  url: string;
  healthy: boolean;
  /** When health was last learned (a probe or a failed call), ms since the epoch. */
  checkedAt: number;
  load?: GpuHealth['load'];
  /** Work this edge has handed to the member and not yet got back. */
  leases: number;
}

/** Healthy members are re-probed now and then; failed ones soon, so a restarted service returns. */
export function needsProbe(member: PoolMember, now: number): boolean {
  return now - member.checkedAt > (member.healthy ? 15_000 : 3_000);
}

function occupancy(member: PoolMember): number {
  // Leases count this edge's own work at once; the member's reported queue covers work from elsewhere.
  const capacity = member.load?.max_concurrent ?? 1;
  const busy = Math.max(member.leases, member.load?.in_flight ?? 0) + (member.load?.queued ?? 0);
  return busy / capacity;
}

/**
 * The least-loaded healthy member not excluded. With none healthy, the one that failed longest ago is
 * still worth a try (health may be stale); the call itself then says what is wrong.
 */
export function pickMember(members: PoolMember[], exclude: readonly string[]): PoolMember | undefined {
  const candidates = members.filter((m) => !exclude.includes(m.url));
  const healthy = candidates.filter((m) => m.healthy);
  if (healthy.length > 0) {
    return healthy.reduce((best, m) => (occupancy(m) < occupancy(best) ? m : best));
  }
  return candidates.sort((a, b) => a.checkedAt - b.checkedAt)[0];
}
