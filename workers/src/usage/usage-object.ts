import { DurableObject } from 'cloudflare:workers';

export interface UsageRecord {
  requests?: number;
  jobs?: number;
  audioSeconds: number;
  gpuSeconds: number;
}

export interface UsageDay {
  day: string;
  requests: number;
  jobs: number;
  audio_seconds: number;
  gpu_seconds: number;
}

/**
 * One per API key: what it used, per UTC day. Counters are added in one SQL statement, so concurrent
 * requests of one key never lose an update, and the days survive restarts and deploys.
 */
export class TenantUsageObject extends DurableObject<Cloudflare.Env> {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS usage (day TEXT PRIMARY KEY, requests INTEGER NOT NULL,
      jobs INTEGER NOT NULL, audio_seconds REAL NOT NULL, gpu_seconds REAL NOT NULL)`);
  }

  async record(day: string, usage: UsageRecord): Promise<void> {
    this.ctx.storage.sql.exec(
      `INSERT INTO usage (day, requests, jobs, audio_seconds, gpu_seconds) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(day) DO UPDATE SET requests = requests + excluded.requests, jobs = jobs + excluded.jobs,
       audio_seconds = audio_seconds + excluded.audio_seconds, gpu_seconds = gpu_seconds + excluded.gpu_seconds`,
      day,
      usage.requests ?? 0,
      usage.jobs ?? 0,
      usage.audioSeconds,
      usage.gpuSeconds,
    );
  }

  /** Days from `first` to `last` (YYYY-MM-DD, inclusive) that saw any use, oldest first. */
  async days(first: string, last: string): Promise<UsageDay[]> {
    return this.ctx.storage.sql
      .exec<Record<string, string | number>>(
        'SELECT day, requests, jobs, audio_seconds, gpu_seconds FROM usage WHERE day >= ? AND day <= ? ORDER BY day',
        first,
        last,
      )
      .toArray()
      .map((row) => ({
        day: String(row.day),
        requests: Number(row.requests),
        jobs: Number(row.jobs),
        audio_seconds: Number(row.audio_seconds),
        gpu_seconds: Number(row.gpu_seconds),
      }));
  }
}
