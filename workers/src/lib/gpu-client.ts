import {
  ApiError,
  apiErrorFromBody,
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
  error?: string;
}

const HEALTH_TIMEOUT_MS = 3000;

function unavailable(reason: string): ApiError {
  return new ApiError(503, `GPU service unavailable: ${reason}`, { code: 'gpu_unavailable' });
}

/** Calls the GPU service with a signed request; every failure becomes an ApiError fit for the caller. */
export async function transcribeOnGpu(
  options: GpuClientOptions,
  request: TranscribeRequest,
): Promise<TranscribeResponse> {
  if (!options.secret) {
    throw new ApiError(500, 'GPU_SHARED_SECRET is not configured on the edge', {
      code: 'server_misconfigured',
      type: 'server_error',
    });
  }
  const url = new URL('/internal/transcribe', options.baseUrl);
  const body = JSON.stringify(request);
  const signature = await signRequest(options.secret, { method: 'POST', path: url.pathname, body });

  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signature },
      body,
    });
  } catch (error) {
    throw unavailable(`could not reach ${url.origin} (${(error as Error).message})`);
  }

  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (isErrorBody(payload)) {
      // Our own service's errors (bad audio, busy) are already worded for the caller; a 401 here is
      // a deployment problem (secrets differ), not the caller's fault.
      if (response.status === 401)
        throw unavailable(`the GPU service refused our signature (${payload.error.message})`);
      const error = apiErrorFromBody(response.status, payload);
      // Busy or draining: tell the caller when to come back, as the GPU service told us.
      const retryAfter = Number(response.headers.get('retry-after'));
      throw retryAfter > 0 ? error.withRetryAfter(retryAfter) : error;
    }
    throw unavailable(`it answered HTTP ${response.status}`);
  }
  const parsed = transcribeResponseSchema.safeParse(payload);
  if (!parsed.success) throw unavailable('it returned a malformed result');
  return parsed.data;
}

export async function gpuHealth(baseUrl: string): Promise<GpuHealth> {
  try {
    const response = await fetch(new URL('/health', baseUrl), {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    if (!response.ok) return { reachable: false, error: `HTTP ${response.status}` };
    const body = (await response.json()) as Omit<Partial<GpuHealth>, 'models'> & {
      models?: Array<{ id: string }>;
    };
    return {
      reachable: true,
      ...(body.device ? { device: body.device } : {}),
      ...(body.model ? { model: body.model } : {}),
      model_loaded: body.model_loaded === true,
      ...(Array.isArray(body.models) ? { models: body.models.map((m) => m.id) } : {}),
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
): Promise<T> {
  if (!options.secret) {
    throw new ApiError(500, 'GPU_SHARED_SECRET is not configured on the edge', {
      code: 'server_misconfigured',
      type: 'server_error',
    });
  }
  const url = new URL(path, options.baseUrl);
  const body = JSON.stringify(request);
  const signature = await signRequest(options.secret, { method: 'POST', path: url.pathname, body });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signature },
      body,
    });
  } catch (error) {
    throw unavailable(`could not reach ${url.origin} (${(error as Error).message})`);
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (!isErrorBody(payload)) throw unavailable(`it answered HTTP ${response.status}`);
    if (response.status === 401)
      throw unavailable(`the GPU service refused our signature (${payload.error.message})`);
    const error = apiErrorFromBody(response.status, payload);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw retryAfter > 0 ? error.withRetryAfter(retryAfter) : error;
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw unavailable('it returned a malformed result');
  return parsed.data;
}
