import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loopSpeech, speechFlac } from '@whisper-edge/gpu-service/testing/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuProcessesOn } from './test-support/processes.js';
import { type RunningStack, startStack } from './test-support/stack.js';

/**
 * Faults on the real stack: wrangler dev, three real GPU service processes with the generated model.
 * A GPU service is killed (SIGKILL, as a crashed host) while it works on a request; the caller must get
 * a clear answer — the work finished elsewhere when it had shown nothing yet, an error event in
 * OpenAI's shape when it had — never a hang, and the pool must keep serving.
 */
let stack: RunningStack;
let long: string;
const ports = () => [0, 1, 2].map((i) => stack.gpuPort + i);

beforeAll(async () => {
  // Minutes of speech: long enough to be caught mid-way on this CPU.
  long = loopSpeech('flac', 40);
  stack = await startStack(['--test-model', '--gpus', '3']);
}, 180_000);

afterAll(async () => {
  await stack?.stop('SIGKILL');
});

async function inFlight(port: number): Promise<number> {
  try {
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
      load: { in_flight: number };
    };
    return health.load.in_flight;
  } catch {
    return -1;
  }
}

/** The port of the service now working, once it is. */
async function busyPort(): Promise<number> {
  for (let i = 0; i < 400; i++) {
    for (const port of ports()) if ((await inFlight(port)) > 0) return port;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no GPU service took the work\n${stack.output().slice(-2000)}`);
}

function kill(port: number): void {
  const pids = gpuProcessesOn(stack.process.pid!, port);
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
}

function form(fields: Record<string, string>): FormData {
  const body = new FormData();
  body.append('file', new File([readFileSync(long)], path.basename(long)));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

describe('a GPU service killed mid-request', () => {
  it('sync: the caller, who has seen nothing yet, gets the transcript from another service', async () => {
    const pending = fetch(`${stack.edge}/v1/audio/transcriptions`, { method: 'POST', body: form({}) });
    const victim = await busyPort();
    kill(victim);
    const response = await pending;
    expect(response.status, stack.output().slice(-2000)).toBe(200);
    expect(((await response.json()) as { text: string }).text.length).toBeGreaterThan(0);
    expect(await inFlight(victim)).toBe(-1);
  }, 240_000);

  it('stream=true: text already sent is not sent again; the stream ends with an error event, and the pool carries on', async () => {
    const response = await fetch(`${stack.edge}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form({ stream: 'true' }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const events: Array<{ type: string; error?: { code: string; type: string; message: string } }> = [];
    let buffered = '';
    let killed = false;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += value;
      const frames = buffered.split('\n\n');
      buffered = frames.pop() ?? '';
      for (const frame of frames) if (frame.startsWith('data: ')) events.push(JSON.parse(frame.slice(6)));
      if (!killed && events.some((e) => e.type === 'transcript.text.delta')) {
        killed = true;
        kill(await busyPort());
      }
      expect(Date.now(), 'the stream must end, not hang').toBeLessThan(deadline);
    }
    expect(killed).toBe(true);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { type: 'service_unavailable', code: 'gpu_unavailable' },
    });
    // The one service left takes new work at once: no slot leaked, the dead ones out of rotation.
    const clip = new FormData();
    clip.append('file', new File([readFileSync(speechFlac)], 'speech.flac'));
    const after = await fetch(`${stack.edge}/v1/audio/transcriptions`, { method: 'POST', body: clip });
    expect(after.status, stack.output().slice(-2000)).toBe(200);
  }, 240_000);
});
