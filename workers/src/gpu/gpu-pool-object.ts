import { DurableObject } from 'cloudflare:workers';
import { edgeConfig } from '../config.js';
import { gpuHealth } from './gpu-client.js';
import { needsProbe, type PoolMember, pickMember } from './gpu-pool.js';

export interface GpuLease {
  id: string;
  url: string;
}

export type AcquireResult =
  | { ok: true; lease: GpuLease }
  /** `no_member`: every service is excluded (or none configured); `tenant_limit`: the key is at its cap. */
  | { ok: false; reason: 'no_member' | 'tenant_limit'; active?: number };

export interface AcquireOptions {
  exclude?: string[];
  /** Whose work this is, and how much of it may run at once (0 = no cap). */
  tenant?: { id: string; limit: number };
}

/** A lease nobody returned (its holder died) stops counting after this long. */
const LEASE_TTL_MS = 20 * 60_000;

/**
 * One per deployment: the single place that knows which GPU services are up and how much work each
 * has from this edge, so every isolate (requests and queue consumers) balances on the same picture.
 * State is in memory on purpose: after an eviction, a fresh probe rebuilds it in milliseconds.
 */
export class GpuPoolObject extends DurableObject<Cloudflare.Env> {
  private readonly members = new Map<string, PoolMember>();
  private readonly leases = new Map<string, { url: string; expires: number; tenant?: string }>();

  private sync(now: number): PoolMember[] {
    const urls = edgeConfig(this.env).gpu.urls;
    for (const url of urls)
      if (!this.members.has(url)) this.members.set(url, { url, healthy: true, checkedAt: 0, leases: 0 });
    for (const url of this.members.keys()) if (!urls.includes(url)) this.members.delete(url);
    for (const [id, lease] of this.leases) if (lease.expires < now) this.leases.delete(id);
    const counts = new Map<string, number>();
    for (const lease of this.leases.values()) counts.set(lease.url, (counts.get(lease.url) ?? 0) + 1);
    return urls.map((url) => {
      const member = this.members.get(url)!;
      member.leases = counts.get(url) ?? 0;
      return member;
    });
  }

  private async probe(members: PoolMember[], now: number): Promise<void> {
    await Promise.all(
      members
        .filter((m) => needsProbe(m, now))
        .map(async (m) => {
          const health = await gpuHealth(m.url);
          m.healthy = health.reachable;
          m.checkedAt = Date.now();
          if (health.load) m.load = health.load;
        }),
    );
  }

  /**
   * Hands out the least-loaded healthy service. One key may hold at most its limit of leases at once,
   * across every isolate, so a single caller cannot take every slot of the pool.
   */
  async acquire(options: AcquireOptions = {}): Promise<AcquireResult> {
    const now = Date.now();
    const members = this.sync(now);
    const { tenant } = options;
    if (tenant && tenant.limit > 0) {
      const active = [...this.leases.values()].filter((l) => l.tenant === tenant.id).length;
      if (active >= tenant.limit) return { ok: false, reason: 'tenant_limit', active };
    }
    await this.probe(members, now);
    const chosen = pickMember(this.sync(Date.now()), options.exclude ?? []);
    if (!chosen) return { ok: false, reason: 'no_member' };
    const id = crypto.randomUUID();
    // Checked and taken in one step: a Durable Object runs one call at a time between awaits.
    if (tenant && tenant.limit > 0) {
      const active = [...this.leases.values()].filter((l) => l.tenant === tenant.id).length;
      if (active >= tenant.limit) return { ok: false, reason: 'tenant_limit', active };
    }
    this.leases.set(id, {
      url: chosen.url,
      expires: Date.now() + LEASE_TTL_MS,
      ...(tenant ? { tenant: tenant.id } : {}),
    });
    return { ok: true, lease: { id, url: chosen.url } };
  }

  /** Work that outlives a lease's TTL (a live session) keeps it counting by renewing it. */
  async renew(leaseId: string): Promise<void> {
    const lease = this.leases.get(leaseId);
    if (lease) lease.expires = Date.now() + LEASE_TTL_MS;
  }

  async release(leaseId: string): Promise<void> {
    this.leases.delete(leaseId);
  }

  /** A call could not reach the service: out of rotation until a probe finds it again. */
  async reportFailure(url: string): Promise<void> {
    const member = this.members.get(url);
    if (member) {
      member.healthy = false;
      member.checkedAt = Date.now();
    }
  }

  async snapshot(): Promise<PoolMember[]> {
    return this.sync(Date.now()).map((m) => ({ ...m }));
  }
}
