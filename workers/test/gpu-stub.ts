import { env } from 'cloudflare:test';
import {
  formatResponse,
  type GpuHealthBody,
  type ResultTarget,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type TranscribeResponse,
  type TranscriptionResult,
  verifyRequest,
  type WorkLimits,
} from '@whisper-edge/shared';
import { vi } from 'vitest';
import app from '../src/index.js';

/**
 * Stands in for the GPU service inside workerd, where the real one cannot run: it checks the edge's
 * signature exactly as the GPU service does and streams the audio back through the Worker's own
 * signed object route, so everything but the model is exercised for real.
 */
export interface GpuCall {
  audioUrl: string;
  audioSource: string;
  audio: Uint8Array;
  options: Record<string, unknown>;
  resultTarget: ResultTarget | undefined;
  limits: WorkLimits | undefined;
  signatureOk: boolean;
  /** The `x-request-id` the edge sent (covered by the signature). */
  requestId: string | null;
}

/** A /health body in the contract's shape (shared's gpuHealthSchema), as a real GPU service sends it. */
export function stubHealth(over: Partial<GpuHealthBody> = {}): GpuHealthBody {
  return {
    status: 'ok',
    model: 'test',
    model_loaded: true,
    device: 'cpu',
    models: [{ id: 'test', loaded: true, device: 'cpu' }],
    load: { in_flight: 0, queued: 0, max_concurrent: 4, max_queued: 8 },
    versions: {},
    ...over,
  };
}

export function stubGpuService(answer: (call: GpuCall) => Response | Promise<Response>) {
  const calls: GpuCall[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== env.GPU_SERVICE_URL) throw new TypeError(`unexpected fetch to ${url.origin}`);
    if (url.pathname === '/health') return Response.json(stubHealth());
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
    const payload = JSON.parse(body) as {
      audio_url: string;
      audio_source: string;
      options: Record<string, unknown>;
      result_target?: ResultTarget;
      limits?: WorkLimits;
    };
    // Edge URLs point back at this Worker; external ones belong to the caller and are not fetched here.
    const audioResponse =
      payload.audio_source === 'edge'
        ? await app.fetch(new Request(payload.audio_url), env)
        : new Response(null);
    const call = {
      audioUrl: payload.audio_url,
      audioSource: payload.audio_source,
      audio: new Uint8Array(await audioResponse.arrayBuffer()),
      options: payload.options,
      resultTarget: payload.result_target,
      limits: payload.limits,
      signatureOk: verdict.ok,
      requestId: request.headers.get('x-request-id'),
    };
    calls.push(call);
    const answered = await answer(call);
    const target = payload.result_target;
    if (!target || !answered.ok) return answered;
    // Like the GPU service: write the formatted result to the target URL (here, the Worker's PUT route).
    const gpuAnswer = (await answered.json()) as TranscribeResponse;
    if (gpuAnswer.export) return Response.json(gpuAnswer);
    const formatted = formatResponse(gpuAnswer.result, target.format, {
      timestampGranularities: target.timestamp_granularities,
    });
    const put = await app.fetch(
      new Request(target.url, {
        method: 'PUT',
        body: formatted.body,
        headers: { 'content-type': formatted.contentType, 'content-length': String(formatted.body.length) },
      }),
      env,
    );
    const exportOutcome = put.ok
      ? { ok: true as const, bytes: formatted.body.length }
      : { ok: false as const, error: `HTTP ${put.status}` };
    return Response.json({ ...gpuAnswer, export: exportOutcome });
  });
  return { calls, spy };
}

/** A GPU service answer with `text` and, when asked for, the export outcome. */
export function fakeResult(text: string, exportOutcome?: TranscribeResponse['export']): TranscribeResponse {
  return { result: fakeTranscript(text), ...(exportOutcome ? { export: exportOutcome } : {}) };
}

export function fakeTranscript(text: string): TranscriptionResult {
  return {
    task: 'transcribe',
    text,
    language: 'en',
    duration: 2.5,
    model: 'stub',
    segments: [{ id: 0, start: 0, end: 2.5, text: ` ${text}` }],
  };
}
