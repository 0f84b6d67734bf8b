import {
  ApiError,
  apiErrorFromBody,
  type GpuStreamEvent,
  gpuStreamEventSchema,
  isErrorBody,
  signRequest,
  type TranscribeRequest,
  type TranscribeResponse,
  transcribeResponseSchema,
} from '@whisper-edge/shared';

export interface GpuClientOptions {
  baseUrl: string;
  secret: string | undefined;
}

export interface GpuHealth {
  reachable: boolean;
  device?: string;
  model?: string;
  model_loaded?: boolean;
  /** Every model the service may run (the default first). */
  models?: string[];
  /** Admitted and waiting work, and the service's limits: what the pool balances on. */
  load?: { in_flight: number; queued: number; max_concurrent: number; max_queued: number };
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
  if (!options.secret) {
    throw new ApiError(500, 'GPU_SHARED_SECRET is not configured on the edge', {
      code: 'server_misconfigured',
      type: 'server_error',
    });
  }
  const url = new URL(path, options.baseUrl);
  const body = JSON.stringify(request);
  const signature = await signRequest(options.secret, { method: 'POST', path: url.pathname, body });
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
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const idleMs = options.idleMs ?? 60_000;
  let buffered = '';
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no word for ${idleMs / 1000} s`)), idleMs);
      });
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await Promise.race([reader.read(), idle]);
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new GpuUnreachableError(
          503,
          `GPU service unavailable: the stream from ${options.baseUrl} broke (${(error as Error).message})`,
          {
            code: 'gpu_unavailable',
          },
        );
      } finally {
        clearTimeout(timer);
      }
      if (chunk.done) break;
      buffered += chunk.value;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        const parsed = gpuStreamEventSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw unavailable('it sent a malformed event');
        yield parsed.data;
        if (parsed.data.type === 'result' || parsed.data.type === 'error') return;
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
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
    const body = (await response.json()) as Omit<Partial<GpuHealth>, 'models' | 'load'> & {
      models?: Array<{ id: string }>;
      load?: GpuHealth['load'];
    };
    return {
      reachable: true,
      ...(body.device ? { device: body.device } : {}),
      ...(body.model ? { model: body.model } : {}),
      model_loaded: body.model_loaded === true,
      ...(Array.isArray(body.models) ? { models: body.models.map((m) => m.id) } : {}),
      ...(body.load ? { load: body.load } : {}),
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
