import {
  ApiError,
  apiErrorFromBody,
  type GpuHealthBody,
  type GpuStreamEvent,
  gpuHealthSchema,
  gpuStreamEventSchema,
  isErrorBody,
  readNdjson,
  signRequest,
  type TranscribeRequest,
  type TranscribeResponse,
  transcribeResponseSchema,
} from '@whisper-edge/shared';
import { logContext } from '@whisper-edge/shared/logging';

export interface GpuClientOptions {
  baseUrl: string;
  secret: string;
}

/** What the edge keeps of a GPU service's /health: enough to balance on and to report. */
export interface GpuHealth {
  reachable: boolean;
  device?: string;
  model?: string;
  model_loaded?: boolean;
  /** Every model the service may run (the default first). */
  models?: string[];
  load?: GpuHealthBody['load'];
  error?: string;
}

const HEALTH_TIMEOUT_MS = 3000;

function unavailable(reason: string): ApiError {
  return new ApiError(503, `GPU service unavailable: ${reason}`, { code: 'gpu_unavailable' });
}

/** Our GPU service's refusal, passed on: its messages are already worded for the caller. */
async function gpuFailure(response: Response): Promise<ApiError> {
  const payload: unknown = await response.json().catch(() => undefined);
  if (!isErrorBody(payload)) return unavailable(`it answered HTTP ${response.status}`);
  // A 401 here is a deployment problem (secrets differ), not the caller's fault.
  if (response.status === 401)
    return unavailable(`the GPU service refused our signature (${payload.error.message})`);
  const error = apiErrorFromBody(response.status, payload);
  // Busy or draining: tell the caller when to come back, as the GPU service told us.
  const retryAfter = Number(response.headers.get('retry-after'));
  return retryAfter > 0 ? error.withRetryAfter(retryAfter) : error;
}

/** A GPU service that could not be reached at all: the pool takes it out and the work goes elsewhere. */
export class GpuUnreachableError extends ApiError {}

async function signedPost(
  options: GpuClientOptions,
  path: string,
  request: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  const url = new URL(path, options.baseUrl);
  const body = JSON.stringify(request);
  // The request (or job) this call serves: signed, so the GPU service's logs name the same id.
  const { request_id: requestId } = logContext();
  const signature = await signRequest(options.secret, {
    method: 'POST',
    path: url.pathname,
    body,
    requestId,
  });
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signature },
      body,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new GpuUnreachableError(
      503,
      `GPU service unavailable: could not reach ${url.origin} (${(error as Error).message})`,
      {
        code: 'gpu_unavailable',
      },
    );
  }
}

/**
 * Opens a streamed transcription (NDJSON events). Refusals before the work starts throw; the events
 * end with `result` or `error`. A connection that dies or falls silent for `idleMs` (no heartbeat)
 * throws GpuUnreachableError, so a job can be retried on another service.
 */
export async function* streamFromGpu(
  options: GpuClientOptions & { idleMs?: number },
  request: TranscribeRequest,
  signal?: AbortSignal,
): AsyncGenerator<GpuStreamEvent> {
  const response = await signedPost(options, '/internal/transcribe', { ...request, stream: true }, signal);
  if (!response.ok) throw await gpuFailure(response);
  if (!response.body) throw unavailable('it sent no body');
  const lines = readNdjson(response.body, options.idleMs ?? 60_000);
  for (;;) {
    let line: IteratorResult<unknown>;
    try {
      line = await lines.next();
    } catch (error) {
      if (signal?.aborted) throw error;
      if (error instanceof SyntaxError) throw unavailable('it sent a malformed event');
      throw new GpuUnreachableError(
        503,
        `GPU service unavailable: the stream from ${options.baseUrl} broke (${(error as Error).message})`,
        { code: 'gpu_unavailable' },
      );
    }
    if (line.done) break;
    const parsed = gpuStreamEventSchema.safeParse(line.value);
    if (!parsed.success) {
      await lines.return(undefined);
      throw unavailable('it sent a malformed event');
    }
    yield parsed.data;
    if (parsed.data.type === 'result' || parsed.data.type === 'error') {
      await lines.return(undefined);
      return;
    }
  }
  // The stream ended without a final line: the service died mid-work.
  throw new GpuUnreachableError(503, `GPU service unavailable: ${options.baseUrl} ended the stream early`, {
    code: 'gpu_unavailable',
  });
}

/** Calls the GPU service with a signed request; every failure becomes an ApiError fit for the caller. */
export async function transcribeOnGpu(
  options: GpuClientOptions,
  request: TranscribeRequest,
  /** The caller's connection: when it closes, the GPU service is told at once and stops the work. */
  signal?: AbortSignal,
): Promise<TranscribeResponse> {
  return postToGpu(options, '/internal/transcribe', request, transcribeResponseSchema, signal);
}

export async function gpuHealth(baseUrl: string): Promise<GpuHealth> {
  try {
    const response = await fetch(new URL('/health', baseUrl), {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    if (!response.ok) return { reachable: false, error: `HTTP ${response.status}` };
    const parsed = gpuHealthSchema.safeParse(await response.json());
    if (!parsed.success) return { reachable: false, error: 'its /health answer is not a GPU service health' };
    const body = parsed.data;
    return {
      reachable: true,
      ...(body.device ? { device: body.device } : {}),
      model: body.model,
      model_loaded: body.model_loaded,
      models: body.models.map((m) => m.id),
      load: body.load,
    };
  } catch (error) {
    return { reachable: false, error: (error as Error).message };
  }
}

/**
 * A signed POST to any /internal route of the GPU service, its answer checked against `schema`;
 * failures become the same caller-fit ApiErrors as transcribeOnGpu's.
 */
export async function postToGpu<T>(
  options: GpuClientOptions,
  path: string,
  request: unknown,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  signal?: AbortSignal,
): Promise<T> {
  const response = await signedPost(options, path, request, signal);
  if (!response.ok) throw await gpuFailure(response);
  const payload: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw unavailable('it returned a malformed result');
  return parsed.data;
}
