import { type GpuStreamEvent, gpuStreamEventSchema, type TranscriptionResult } from '@whisper-edge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles, type TestServer } from '../../../test/file-server.js';
import { loopSpeech, probeDuration, speechFlac } from '../../../test/fixtures.js';
import { createTestApp, signedTranscribeRequest } from '../../../test/test-app.js';
import { Admission } from '../admission.js';

// The streamed answer (`stream: true`) that jobs and SSE are built on, against the real pipeline.
const admission = new Admission({ maxConcurrent: 2, maxQueue: 2 });
// One window per batch: progress comes after each batch, so it arrives window by window.
const app = createTestApp({ admission, batchSize: 1 });
let files: TestServer;
// Three minutes of the clip back to back: many windows, so progress arrives in several steps.
const longFlac = loopSpeech('flac', 30);
// WAV through a pipe has no duration in its header: the total comes from its bitrate and byte length.
const longWav = loopSpeech('wav', 30);

beforeAll(async () => {
  files = await serveFiles({ '/long.flac': longFlac, '/long.wav': longWav, '/speech.flac': speechFlac });
});
afterAll(() => files.close());

const streamCall = (path: string, extra: Record<string, unknown> = {}) =>
  signedTranscribeRequest(app, { audio_url: `${files.url}${path}`, stream: true, ...extra });

async function* events(response: Response): AsyncGenerator<GpuStreamEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line) yield gpuStreamEventSchema.parse(JSON.parse(line));
  }
}

describe('streamed transcription', () => {
  it('sends progress with each batch of segments, then the result they add up to', async () => {
    const response = await streamCall('/long.flac');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const progress: Extract<GpuStreamEvent, { type: 'progress' }>[] = [];
    let result: TranscriptionResult | undefined;
    for await (const event of events(response)) {
      if (event.type === 'progress') progress.push(event);
      if (event.type === 'result') result = event.result;
      expect(event.type).not.toBe('error');
    }
    expect(result).toBeDefined();
    expect(progress.length).toBeGreaterThan(2);
    const processed = progress.map((p) => p.processed_seconds);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(processed.at(-1)!).toBeLessThanOrEqual(result!.duration + 0.01);
    expect(processed.at(-1)!).toBeGreaterThan(result!.duration - 10);
    // FLAC names its length in the header.
    const total = probeDuration(longFlac);
    for (const p of progress) expect(p.total_seconds).toBeCloseTo(total, 1);
    expect(progress.flatMap((p) => p.segments)).toEqual(result!.segments);
  });

  it('works the total out from bitrate and length when the header gives no duration', async () => {
    const totals: Array<number | null> = [];
    for await (const event of events(await streamCall('/long.wav')))
      if (event.type === 'progress') totals.push(event.total_seconds);
    const actual = probeDuration(longWav);
    expect(totals.length).toBeGreaterThan(0);
    for (const t of totals) expect(Math.abs(t! - actual)).toBeLessThan(0.5);
  });

  it('reports a failure found mid-stream as an error line in the OpenAI shape', async () => {
    const lines: GpuStreamEvent[] = [];
    for await (const event of events(await streamCall('/speech.flac', { options: { model: 'nope' } })))
      lines.push(event);
    // Admission comes first, then the model is resolved: so an unknown model arrives as a line.
    expect(lines.at(-1)).toMatchObject({
      type: 'error',
      status: 400,
      error: { type: 'invalid_request_error' },
    });
  });

  it('stops the work when the reader goes away, and frees its slot', async () => {
    const response = await streamCall('/long.flac');
    const reader = response.body!.getReader();
    await reader.read();
    expect(admission.inFlight).toBe(1);
    await reader.cancel();
    const deadline = Date.now() + 5000;
    while (admission.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(admission.inFlight).toBe(0);
  });

  it('answers /health promptly all through a long job', async () => {
    const response = await streamCall('/long.flac');
    const finished = (async () => {
      for await (const _ of events(response)) {
        // drain
      }
    })();
    let done = false;
    void finished.then(() => {
      done = true;
    });
    const latencies: number[] = [];
    while (!done) {
      const started = performance.now();
      expect((await app.request('/health')).status).toBe(200);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await finished;
    // Features run in worker threads and decoding yields between steps: health never waits for the job.
    expect(latencies.length).toBeGreaterThan(20);
    expect(Math.max(...latencies)).toBeLessThan(250);
  });

  it('tells its load on /health, for the edge to balance on', async () => {
    const body = (await (await app.request('/health')).json()) as { load: Record<string, number> };
    expect(body.load).toEqual({ in_flight: 0, queued: 0, max_concurrent: 2, max_queued: 2 });
  });
});
