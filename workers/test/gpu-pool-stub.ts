import { env } from 'cloudflare:test';
import {
  type GpuStreamEvent,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type TranscribeRequest,
  verifyRequest,
} from '@whisper-edge/shared';
import { vi } from 'vitest';
import app from '../src/index.js';
import { fakeTranscript, stubHealth } from './gpu-stub.js';

/**
 * Stands in for a pool of GPU services (no GPU here) and for webhook receivers, inside workerd. Each
 * service checks the edge's signature, streams the audio back through the Worker's signed route, and
 * answers in the real NDJSON stream format with a behaviour the test picks.
 */
export type Behaviour =
  /** `diarized`: the final result's segments carry alternating speakers, as the GPU service labels them at the end. */
  | { kind: 'ok'; text: string; steps?: number; stepMs?: number; diarized?: boolean }
  /** Sends one progress line (with `text`, one finished segment), then the connection breaks: a service killed mid-job. */
  | { kind: 'die'; text?: string }
  /** Heartbeats until the edge goes away (for cancellation). */
  | { kind: 'hang' }
  | { kind: 'error'; status: number; message: string };

export interface StubCall {
  origin: string;
  request: TranscribeRequest;
  signatureOk: boolean;
  /** The `x-request-id` the edge sent (covered by the signature). */
  requestId: string | null;
  audioBytes: number;
  aborted: () => boolean;
}

export interface HookCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const encoder = new TextEncoder();
const line = (event: GpuStreamEvent) => encoder.encode(`${JSON.stringify(event)}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function stubGpuPool(
  behaviours: Record<string, Behaviour | ((n: number) => Behaviour)>,
  /** A status per delivery, or `hang`: a receiver that accepts the connection and never answers. */
  hooks: { answer: (n: number) => number | 'hang' } = { answer: () => 200 },
) {
  const calls: StubCall[] = [];
  const hookCalls: HookCall[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    // The DNS-over-HTTPS resolver callback hosts are checked with: hooks.* names resolve to a public
    // address, except hooks.internal.* which (as a hostile name would) points into a private network.
    if (url.hostname === 'cloudflare-dns.com') {
      const name = url.searchParams.get('name') ?? '';
      const type = url.searchParams.get('type') === 'AAAA' ? 28 : 1;
      const address = name.startsWith('hooks.internal.')
        ? type === 1
          ? '10.0.0.5'
          : 'fd00::5'
        : '93.184.216.34';
      return Response.json(
        type === 1 || name.startsWith('hooks.internal.') ? { Answer: [{ type, data: address }] } : {},
      );
    }
    if (url.hostname.startsWith('hooks.')) {
      hookCalls.push({
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: await request.text(),
      });
      const answer = hooks.answer(hookCalls.length);
      if (answer === 'hang') {
        const signal = init?.signal ?? request.signal;
        return new Promise<Response>((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
      }
      return new Response(null, { status: answer });
    }
    const chosen = behaviours[url.origin];
    if (!chosen) throw new TypeError(`unexpected fetch to ${url.origin}`);
    if (url.pathname === '/health') {
      return Response.json(stubHealth());
    }
    const body = await request.text();
    const verdict = await verifyRequest(
      env.GPU_SHARED_SECRET!,
      {
        method: request.method,
        path: url.pathname,
        body,
        requestId: request.headers.get('x-request-id') ?? undefined,
      },
      { timestamp: request.headers.get(TIMESTAMP_HEADER), signature: request.headers.get(SIGNATURE_HEADER) },
    );
    const payload = JSON.parse(body) as TranscribeRequest;
    const audio = await app.fetch(new Request(payload.audio_url), env);
    const audioBytes = (await audio.arrayBuffer()).byteLength;
    const signal = init?.signal ?? request.signal;
    const n = calls.filter((c) => c.origin === url.origin).length;
    calls.push({
      origin: url.origin,
      request: payload,
      signatureOk: verdict.ok,
      requestId: request.headers.get('x-request-id'),
      audioBytes,
      aborted: () => signal?.aborted === true,
    });
    const behaviour = typeof chosen === 'function' ? chosen(n) : chosen;
    if (behaviour.kind === 'error') {
      return Response.json(
        { error: { message: behaviour.message, type: 'invalid_request_error', code: null, param: null } },
        { status: behaviour.status },
      );
    }
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        if (behaviour.kind === 'die') {
          const segments = behaviour.text ? [{ id: 0, start: 0, end: 1, text: ` ${behaviour.text}` }] : [];
          controller.enqueue(line({ type: 'progress', processed_seconds: 1, total_seconds: 10, segments }));
          await sleep(20);
          controller.error(new Error('connection reset'));
          return;
        }
        if (behaviour.kind === 'hang') {
          while (!signal?.aborted) {
            controller.enqueue(line({ type: 'heartbeat' }));
            await sleep(50);
          }
          return;
        }
        const result = fakeTranscript(behaviour.text);
        const steps = behaviour.steps ?? 2;
        for (let i = 1; i <= steps; i++) {
          await sleep(behaviour.stepMs ?? 10);
          const segment = { id: i - 1, start: i - 1, end: i, text: ` ${behaviour.text} ${i}.` };
          controller.enqueue(
            line({ type: 'progress', processed_seconds: i, total_seconds: steps, segments: [segment] }),
          );
        }
        result.segments = Array.from({ length: steps }, (_, i) => ({
          id: i,
          start: i,
          end: i + 1,
          text: ` ${behaviour.text} ${i + 1}.`,
          ...(behaviour.diarized ? { speaker: `SPEAKER_0${i % 2}` } : {}),
        }));
        result.text = result.segments
          .map((s) => s.text)
          .join('')
          .trim();
        result.duration = steps;
        controller.enqueue(line({ type: 'result', result }));
        controller.close();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'application/x-ndjson' } });
  });
  return { calls, hookCalls, spy };
}
