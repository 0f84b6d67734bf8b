import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.js';
import { siblingWorkerScript } from './worker-script.js';

// The worker is test support, kept in the package's test/ folder.
const script = siblingWorkerScript(
  new URL('../../test/pool-test-worker.ts', import.meta.url).href,
  'pool-test-worker',
);
const job = (n: number) => ({ prepare: () => ({ message: n }) });

describe('WorkerPool', () => {
  // Workers take a moment to start (they load TypeScript), so tests that leave the pool
  // healthy share one; tests that kill or close it start their own.
  let shared: WorkerPool<number, number>;
  beforeAll(async () => {
    shared = await WorkerPool.start<number, number>(script, {}, 2);
  });
  afterAll(() => shared.close());

  it('runs queued jobs on every worker and returns results in order', async () => {
    const inputs = Array.from({ length: 10 }, (_, i) => i);
    expect(await Promise.all(inputs.map((n) => shared.run(job(n))))).toEqual(inputs.map((n) => 2 * n));
  });

  it('gives a worker several jobs at once when asked, and matches each answer to its job', async () => {
    const pool = await WorkerPool.start<number, number>(script, {}, 1, 3);
    try {
      const finished: number[] = [];
      // The first waits longest: answers come back out of order, each still to its own job.
      const inputs = [60_000, 30_000, 1_000];
      const results = await Promise.all(
        inputs.map((n) => pool.run(job(n)).then((value) => (finished.push(n), value))),
      );
      expect(results).toEqual(inputs.map((n) => 2 * n));
      expect(finished).toEqual([1_000, 30_000, 60_000]);
    } finally {
      await pool.close();
    }
  });

  it('rejects a job whose handler throws, and keeps serving', async () => {
    await expect(shared.run(job(-1))).rejects.toThrow('cannot double -1');
    expect(await shared.run(job(4))).toBe(8);
  });

  it('rejects a job whose input cannot be prepared, and keeps serving', async () => {
    const broken = shared.run({
      prepare: () => {
        throw new Error('no input');
      },
    });
    await expect(broken).rejects.toThrow('no input');
    expect(await shared.run(job(1))).toBe(2);
  });

  it('rejects the job of a worker that dies, and replaces the worker', async () => {
    const pool = await WorkerPool.start<number, number>(script, {}, 1);
    try {
      const [died, next] = await Promise.allSettled([pool.run(job(-2)), pool.run(job(5))]);
      expect(died.status).toBe('rejected');
      expect(String((died as PromiseRejectedResult).reason)).toMatch(/exited with code 3/);
      expect(next).toEqual({ status: 'fulfilled', value: 10 });
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('rejects queued and running jobs on close, and new ones after', async () => {
    const pool = await WorkerPool.start<number, number>(script, {}, 1);
    const pending = Promise.allSettled([pool.run(job(1)), pool.run(job(2))]);
    await pool.close();
    for (const result of await pending) expect(result.status).toBe('rejected');
    await expect(pool.run(job(3))).rejects.toThrow(/closed/);
  });

  it('fails to start, rather than on first use, when the worker module is broken', async () => {
    await expect(
      WorkerPool.start(siblingWorkerScript(import.meta.url, 'no-such-worker'), {}, 1),
    ).rejects.toThrow();
  });

  it('needs at least one worker', async () => {
    await expect(WorkerPool.start(script, {}, 0)).rejects.toThrow(/positive integer/);
  });
});
