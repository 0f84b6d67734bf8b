import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { root, startStack } from '../test-support/stack.js';

interface Job {
  id: string;
  status: string;
  attempts: number;
  created_at: number;
  completed_at: number | null;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * 200 short jobs through the real queue, Durable Objects and two GPU service processes (`npm start --
 * --gpus 2`, generated model, CPU): every job must finish exactly once. Latency is submit → done as
 * the client sees it (polling every 250 ms).
 */
export async function jobsLoadBench(count = 200): Promise<void> {
  const stack = await startStack(['--test-model', '--gpus', '2']);
  try {
    const audio = await readFile(path.join(root, 'fixtures/audio/speech-en.flac'));
    const form = new FormData();
    form.append('file', new File([audio], 'speech.flac', { type: 'audio/flac' }));
    const upload = (await (
      await fetch(`${stack.edge}/v1/uploads`, { method: 'POST', body: form })
    ).json()) as { key: string };

    // Local state persists between runs (.wrangler/state): keys must be new for this run.
    const run = Date.now().toString(36);
    const started = performance.now();
    const submittedAt = new Map<string, number>();
    const doneAt = new Map<string, number>();
    const ids: string[] = [];
    // Submissions 20 at a time, as many clients would.
    for (let i = 0; i < count; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
          const response = await fetch(`${stack.edge}/v1/audio/transcriptions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${run}-${i + j}` },
            body: JSON.stringify({ storage_key: upload.key, async: true }),
          });
          const job = (await response.json()) as Job;
          if (response.status !== 202)
            throw new Error(`submit ${i + j}: HTTP ${response.status} ${JSON.stringify(job)}`);
          ids.push(job.id);
          submittedAt.set(job.id, performance.now());
        }),
      );
    }
    const final = new Map<string, Job>();
    const deadline = Date.now() + 20 * 60_000;
    while (final.size < ids.length && Date.now() < deadline) {
      const pending = ids.filter((id) => !final.has(id));
      await Promise.all(
        pending.slice(0, 50).map(async (id) => {
          const job = (await (await fetch(`${stack.edge}/v1/jobs/${id}`)).json()) as Job;
          if (['succeeded', 'failed', 'cancelled'].includes(job.status)) {
            final.set(id, job);
            doneAt.set(id, performance.now());
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    const succeeded = [...final.values()].filter((j) => j.status === 'succeeded');
    const latencies = ids
      .filter((id) => doneAt.has(id))
      .map((id) => (doneAt.get(id)! - submittedAt.get(id)!) / 1000)
      .sort((a, b) => a - b);
    const duplicates = ids.length - new Set(ids).size;
    const extraAttempts = succeeded.filter((j) => j.attempts !== 1).length;
    console.log(
      `jobs (${count} async jobs of the 6 s clip, queue + Durable Objects + 2 GPU services, generated model, CPU)`,
    );
    console.log(
      `  finished: ${final.size}/${count}, succeeded: ${succeeded.length}, lost: ${count - final.size}, duplicate ids: ${duplicates}, jobs run more than once: ${extraAttempts}`,
    );
    console.log(`  throughput: ${(final.size / seconds).toFixed(2)} jobs/s over ${seconds.toFixed(1)} s`);
    if (latencies.length > 0)
      console.log(
        `  latency submit→done: p50 ${percentile(latencies, 50).toFixed(2)} s, p95 ${percentile(latencies, 95).toFixed(2)} s`,
      );
    if (succeeded.length !== count) process.exitCode = 1;
  } finally {
    await stack.stop('SIGKILL');
  }
}
