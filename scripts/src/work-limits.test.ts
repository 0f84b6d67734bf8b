import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loopSpeech, silentAudio } from '@whisper-edge/gpu-service/testing/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from './test-support/stack.js';

/**
 * Limits on work, end to end: wrangler dev and a real GPU service (the generated model, real ffmpeg
 * and Silero VAD). A sync request may hold at most MAX_SYNC_AUDIO_SECONDS of audio, a job more; a
 * caller that hangs up frees its GPU slot within seconds, sync or streamed.
 */
let stack: RunningStack;
const SYNC_LIMIT = 2400;
const SYNC_DEADLINE = 8;

beforeAll(async () => {
  stack = await startStack(['--test-model'], undefined, {
    MAX_SYNC_AUDIO_SECONDS: String(SYNC_LIMIT),
    SYNC_DEADLINE_SECONDS: String(SYNC_DEADLINE),
  });
});
afterAll(async () => {
  await stack?.stop('SIGKILL');
});

function form(file: string, fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  body.append('file', new File([readFileSync(file)], path.basename(file)));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

const transcribe = (body: FormData, init: RequestInit = {}) =>
  fetch(`${stack.edge}/v1/audio/transcriptions`, { method: 'POST', body, ...init });

async function inFlight(): Promise<number> {
  const health = (await (await fetch(`http://127.0.0.1:${stack.gpuPort}/health`)).json()) as {
    load: { in_flight: number };
  };
  return health.load.in_flight;
}

async function waitForInFlight(want: (n: number) => boolean, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let n = await inFlight();
  while (!want(n) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    n = await inFlight();
  }
  return n;
}

describe('limits on work through the edge', () => {
  // An hour of digital silence: ~0.7 MB, far under every byte limit.
  const hour = silentAudio(3600);

  it('refuses a sync request over MAX_SYNC_AUDIO_SECONDS with a 413 naming the limit', async () => {
    const response = await transcribe(form(hour));
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'audio_too_long',
      param: 'file',
    });
    expect(body.error.message).toMatch(new RegExp(`${SYNC_LIMIT}-second limit`));
    expect(await inFlight()).toBe(0);
  });

  it('runs the same hour as a job (a job’s limit is higher), and silence costs seconds', async () => {
    const submitted = await transcribe(form(hour, { async: 'true', response_format: 'verbose_json' }));
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const deadline = Date.now() + 60_000;
    let job: { status: string };
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = (await (await fetch(`${stack.edge}/v1/jobs/${id}`)).json()) as typeof job;
    } while (!['succeeded', 'failed'].includes(job.status) && Date.now() < deadline);
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    const result = (await (await fetch(`${stack.edge}/v1/jobs/${id}/result`)).json()) as {
      text: string;
      duration: number;
    };
    expect(result.duration).toBeCloseTo(3600, 0);
    expect(result.text).toBe('');
  }, 90_000);

  it('answers a sync request that outlives SYNC_DEADLINE_SECONDS with a 504 naming the limit', async () => {
    // 36 minutes of speech: far more than the generated model gets through in the deadline (a 6-minute
    // input finished inside it once the engine batched continuously).
    const response = await transcribe(form(loopSpeech('flac', 360)));
    expect(response.status).toBe(504);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ code: 'deadline_exceeded', type: 'server_error' });
    expect(body.error.message).toMatch(new RegExp(`${SYNC_DEADLINE}-second deadline`));
    expect(await waitForInFlight((n) => n === 0, 2000)).toBe(0);
  }, 60_000);

  it('stops the GPU work within seconds when a stream=true caller hangs up', async () => {
    // Minutes of speech: the generated model takes far longer on it than this test waits.
    const caller = new AbortController();
    const response = await transcribe(form(loopSpeech('flac', 60), { stream: 'true' }), {
      signal: caller.signal,
    });
    expect(response.status).toBe(200);
    // Read the first event, as a client would before giving up.
    await response.body!.getReader().read();
    expect(await inFlight()).toBe(1);
    caller.abort();
    expect(await waitForInFlight((n) => n === 0, 10_000)).toBe(0);
  }, 60_000);

  it('frees the slot of a sync caller that hangs up by the deadline at the latest', async () => {
    // workerd does not tell a Worker still waiting on its subrequest that its client left (its
    // request.signal fires only once a response has begun; workers-sdk#9334), so a sync request's
    // GPU work is bounded by SYNC_DEADLINE_SECONDS rather than stopped at once.
    const caller = new AbortController();
    const answered = transcribe(form(loopSpeech('flac', 60)), { signal: caller.signal }).catch(
      () => undefined,
    );
    expect(await waitForInFlight((n) => n > 0, 30_000)).toBe(1);
    const left = Date.now();
    caller.abort();
    await answered;
    expect(await waitForInFlight((n) => n === 0, (SYNC_DEADLINE + 5) * 1000)).toBe(0);
    expect(Date.now() - left).toBeLessThan((SYNC_DEADLINE + 5) * 1000);
  }, 60_000);
});
