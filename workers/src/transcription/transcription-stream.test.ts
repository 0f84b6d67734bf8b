import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Behaviour, stubGpuPool } from '../../test/gpu-pool-stub.js';
import app from '../index.js';

// stream=true: OpenAI's transcription events over SSE, built from the GPU service's NDJSON stream (stand-in: no GPU here).
const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

async function streamed(fields: Record<string, string>) {
  const body = new FormData();
  body.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request('http://edge.test/v1/audio/transcriptions', { method: 'POST', body }),
    env,
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  const events = text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => JSON.parse(frame.replace(/^data: /, '')) as Record<string, unknown>);
  return { response, events };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('stream=true', () => {
  it('sends a delta per finished segment, then the full text', async () => {
    const gpu = stubGpuPool({
      'http://gpu.test': { kind: 'ok', text: 'word', steps: 3 },
      'http://gpu-b.test': { kind: 'ok', text: 'word', steps: 3 },
    });
    const { response, events } = await streamed({ stream: 'true' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(events).toEqual([
      { type: 'transcript.text.delta', delta: ' word 1.' },
      { type: 'transcript.text.delta', delta: ' word 2.' },
      { type: 'transcript.text.delta', delta: ' word 3.' },
      {
        type: 'transcript.text.done',
        text: 'word 1. word 2. word 3.',
        usage: { type: 'duration', seconds: 3 },
      },
    ]);
    expect(gpu.calls[0]?.request.stream).toBe(true);
  });

  it('sends diarized segments with their speakers at the end, when the speakers are known', async () => {
    const diarized = { kind: 'ok', text: 'turn', steps: 3, diarized: true } as const;
    stubGpuPool({ 'http://gpu.test': diarized, 'http://gpu-b.test': diarized });
    const { events } = await streamed({ stream: 'true', enable_diarization: 'true' });
    expect(events.map((e) => e.type)).toEqual([
      'transcript.text.delta',
      'transcript.text.delta',
      'transcript.text.delta',
      'transcript.text.segment',
      'transcript.text.segment',
      'transcript.text.segment',
      'transcript.text.done',
    ]);
    expect(events[3]).toEqual({
      type: 'transcript.text.segment',
      id: 'seg_0',
      start: 0,
      end: 1,
      text: 'turn 1.',
      speaker: 'SPEAKER_00',
    });
    expect(events[4]).toMatchObject({ speaker: 'SPEAKER_01' });
  });

  it('ends with an error event in the OpenAI shape when the work fails after the stream opened', async () => {
    stubGpuPool({ 'http://gpu.test': { kind: 'die' }, 'http://gpu-b.test': { kind: 'die' } });
    const { response, events } = await streamed({ stream: 'true' });
    expect(response.status).toBe(200);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { type: 'service_unavailable', code: 'gpu_unavailable' },
    });
  });

  it('moves to another GPU service when the first dies before any text reached the caller', async () => {
    let calls = 0;
    const firstDies = (): Behaviour =>
      calls++ === 0 ? { kind: 'die' } : { kind: 'ok', text: 'word', steps: 2 };
    const pool = stubGpuPool({ 'http://gpu.test': firstDies, 'http://gpu-b.test': firstDies });
    const { events } = await streamed({ stream: 'true' });
    expect(events.map((e) => e.type)).toEqual([
      'transcript.text.delta',
      'transcript.text.delta',
      'transcript.text.done',
    ]);
    // One call died, the other service did the work; nothing was told twice.
    expect(pool.calls.map((c) => c.origin).sort()).toEqual(['http://gpu-b.test', 'http://gpu.test']);
  });

  it('does not run the work again once text has reached the caller: the failure is an error event', async () => {
    const pool = stubGpuPool({
      'http://gpu.test': { kind: 'die', text: 'half' },
      'http://gpu-b.test': { kind: 'die', text: 'half' },
    });
    const { events } = await streamed({ stream: 'true' });
    expect(events).toEqual([
      { type: 'transcript.text.delta', delta: ' half' },
      expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: 'gpu_unavailable' }) }),
    ]);
    expect(pool.calls).toHaveLength(1);
  });

  it('refuses stream together with async', async () => {
    const { response } = await streamed({ stream: 'true', async: 'true' }).catch(() => ({
      response: undefined,
    }));
    expect(response?.status).toBe(400);
  });
});
