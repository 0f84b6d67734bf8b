import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { loopSpeech } from '@whisper-edge/gpu-service/testing/fixtures';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from './test-support/local-s3.js';
import { jsonLogLines } from './test-support/log-lines.js';
import { gpuProcessesOn } from './test-support/processes.js';
import { type RunningStack, root, startStack } from './test-support/stack.js';

/**
 * Jobs on the real stack: wrangler dev (queue, consumer, Durable Objects in workerd), two real GPU
 * service processes with the generated model, a real webhook receiver on loopback.
 */
let stack: RunningStack;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ headers: Record<string, string>; body: string }> = [];
const receiverAnswers = [500, 200];

interface Job {
  id: string;
  status: string;
  attempts: number;
  storage_url?: string;
  result?: { text: string };
  webhook?: { status: string; attempts: number };
}

async function job(id: string): Promise<Job> {
  return (await (await fetch(`${stack.edge}/v1/jobs/${id}`)).json()) as Job;
}

async function waitFor(id: string, done: (j: Job) => boolean, timeoutMs = 120_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await job(id);
    if (done(current)) return current;
    if (Date.now() > deadline)
      throw new Error(`job stuck: ${JSON.stringify(current)}\n${stack.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function submit(
  file: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<string> {
  const form = new FormData();
  form.append('file', new File([readFileSync(file)], path.basename(file)));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const response = await fetch(`${stack.edge}/v1/audio/transcriptions`, {
    method: 'POST',
    body: form,
    headers,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as Job).id;
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push({ headers: request.headers as Record<string, string>, body });
      response.statusCode = receiverAnswers.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  stack = await startStack(['--test-model', '--gpus', '2', '--allow-local-urls']);
});

afterAll(async () => {
  await stack?.stop('SIGKILL');
  receiver?.close();
});

describe('jobs on the real stack', () => {
  it('finishes on the other GPU service when the one running the job is killed: one result, one export', async () => {
    // Minutes of speech: long enough to be caught mid-way on this CPU.
    const long = loopSpeech('flac', 100);
    const outputKey = `transcriptions/kill-${Date.now()}.json`;
    const id = await submit(long, { async: 'true', output_key: outputKey });
    await waitFor(id, (j) => j.status === 'running', 60_000);
    // Find the service doing the work by its load, then kill it hard.
    const ports = [stack.gpuPort, stack.gpuPort + 1];
    let busy: number | undefined;
    for (let i = 0; i < 200 && busy === undefined; i++) {
      for (const port of ports) {
        const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
          load: { in_flight: number };
        };
        if (health.load.in_flight > 0) busy = port;
      }
      if (busy === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(busy).toBeDefined();
    const pids = gpuProcessesOn(stack.process.pid!, busy!);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    expect((await job(id)).status).toBe('running');

    const done = await waitFor(id, (j) => ['succeeded', 'failed'].includes(j.status), 240_000);
    // Killed before it sent progress, the work moves to the other service within the same attempt;
    // killed after, the attempt fails and the queue runs a second one. Either way: one result.
    if (done.status !== 'succeeded' || done.attempts < 1 || done.attempts > 2)
      writeFileSync(
        path.join(root, 'test-output/jobs-kill-stack.log'),
        `${JSON.stringify(done)}\n${stack.output()}`,
      );
    expect(done.status, 'see test-output/jobs-kill-stack.log').toBe('succeeded');
    expect(done.attempts, 'see test-output/jobs-kill-stack.log').toBeGreaterThanOrEqual(1);
    expect(done.attempts, 'see test-output/jobs-kill-stack.log').toBeLessThanOrEqual(2);
    expect(done.storage_url).toMatch(new RegExp(`/${outputKey}$`));
    expect(stack.output()).toContain('the rest of the pool carries on');
    // The export (read back from local R2 over its S3 API) holds exactly the job's result.
    const exported = await localS3Client().fetch(
      `${stack.edge}/cdn-cgi/local/r2/s3/default-uploads/${outputKey}`,
    );
    expect(exported.status).toBe(200);
    expect(await exported.json()).toEqual(done.result);
    expect((done.result?.text ?? '').length).toBeGreaterThan(0);
  }, 360_000);

  it('delivers a signed webhook to a real receiver, retrying after its 500, under the submitting request id', async () => {
    const requestId = `e2e-job-${Date.now()}`;
    const id = await submit(
      path.join(root, 'fixtures/audio/speech-en.flac'),
      { callback_url: receiverUrl },
      { 'x-request-id': requestId },
    );
    const done = await waitFor(id, (j) => j.webhook?.status === 'delivered', 120_000);
    expect(done.webhook?.attempts).toBe(2);
    expect(received).toHaveLength(2);
    const secret = readFileSync(path.join(root, `.wrangler/dev-webhook-secret-${stack.edgePort}`), 'utf8');
    const payload = new Webhook(secret).verify(received[1]!.body, received[1]!.headers) as Job;
    expect(payload).toMatchObject({ id, status: 'succeeded', request_id: requestId });
    // Traced end to end: both deliveries, and the GPU service process's own JSON log of the job's work.
    expect(received.map((r) => r.headers['x-request-id'])).toEqual([requestId, requestId]);
    const gpuLines = jsonLogLines(stack.output()).filter(
      (line) => line.service === 'gpu-service' && line.request_id === requestId,
    );
    expect(gpuLines.find((line) => line.msg === 'transcribed')).toMatchObject({ job_id: id });
  }, 180_000);
});
