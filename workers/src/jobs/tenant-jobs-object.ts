import { DurableObject } from 'cloudflare:workers';

export function tenantJobs(env: Cloudflare.Env, tenant: { id: string | null }) {
  return env.TENANT_JOBS.get(env.TENANT_JOBS.idFromName(tenant.id ?? '-'));
}

export type RegisterOutcome = { existing: false } | { existing: true; id: string; sameRequest: boolean };

/**
 * One per tenant (API key): the ordered list of its jobs and its idempotency keys. A single object
 * serialises registrations, so two requests racing with the same Idempotency-Key get the same job.
 */
export class TenantJobsObject extends DurableObject<Cloudflare.Env> {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS jobs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, job_id TEXT NOT NULL, fingerprint TEXT NOT NULL, created_at INTEGER NOT NULL);`);
  }

  async register(
    id: string,
    createdAt: number,
    idempotency?: { key: string; fingerprint: string },
  ): Promise<RegisterOutcome> {
    const sql = this.ctx.storage.sql;
    if (idempotency) {
      const found = sql
        .exec<{ job_id: string; fingerprint: string }>(
          'SELECT job_id, fingerprint FROM idempotency WHERE key = ?',
          idempotency.key,
        )
        .toArray()[0];
      if (found)
        return {
          existing: true,
          id: found.job_id,
          sameRequest: found.fingerprint === idempotency.fingerprint,
        };
      sql.exec(
        'INSERT INTO idempotency (key, job_id, fingerprint, created_at) VALUES (?, ?, ?, ?)',
        idempotency.key,
        id,
        idempotency.fingerprint,
        createdAt,
      );
    }
    sql.exec('INSERT INTO jobs (id, created_at) VALUES (?, ?)', id, createdAt);
    return { existing: false };
  }

  /**
   * Undoes a registration whose job could not be created, so its Idempotency-Key is free again; also
   * how an expired job leaves the list together with its keys.
   */
  async release(id: string): Promise<void> {
    const sql = this.ctx.storage.sql;
    sql.exec('DELETE FROM idempotency WHERE job_id = ?', id);
    sql.exec('DELETE FROM jobs WHERE id = ?', id);
  }

  /** Newest first; `after` is the last id of the previous page. */
  async list(limit: number, after?: string): Promise<{ ids: string[]; hasMore: boolean }> {
    const sql = this.ctx.storage.sql;
    const start = after
      ? sql.exec<{ seq: number }>('SELECT seq FROM jobs WHERE id = ?', after).toArray()[0]?.seq
      : undefined;
    const rows = sql
      .exec<{ id: string }>(
        'SELECT id FROM jobs WHERE seq < ? ORDER BY seq DESC LIMIT ?',
        start ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      )
      .toArray();
    return { ids: rows.slice(0, limit).map((r) => r.id), hasMore: rows.length > limit };
  }
}
