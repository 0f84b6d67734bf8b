import { z } from 'zod';

/**
 * OpenAI's error envelope: clients (including the official SDKs) parse exactly this shape. `error`
 * keeps OpenAI's four fields; the request's id rides beside it (OpenAI sends it only as the
 * `x-request-id` header, which we send too), so an error body pasted alone still names its request.
 */
export const errorBodySchema = z
  .object({
    error: z.object({
      message: z.string().meta({ description: 'Written for the caller; never an internal trace' }),
      type: z
        .string()
        .meta({ description: 'invalid_request_error, authentication_error, not_found_error, …' }),
      code: z.string().nullable().meta({ description: 'Machine-readable reason, e.g. audio_too_long' }),
      param: z.string().nullable().meta({ description: 'The request field at fault, if any' }),
    }),
    request_id: z
      .string()
      .optional()
      .meta({ description: 'The request’s id (also the x-request-id header)' }),
  })
  .meta({ id: 'ErrorBody', description: 'OpenAI’s error envelope, with the request’s id beside it' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'service_unavailable';

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'invalid_request_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  503: 'service_unavailable',
};

/** An error that is safe to show to the caller: the message is written for them, never an internal trace. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | null;
  readonly param: string | null;

  constructor(
    status: number,
    message: string,
    options: { code?: string; param?: string; type?: ErrorType } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type =
      options.type ?? TYPE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.code = options.code ?? null;
    this.param = options.param ?? null;
  }

  /** Seconds the caller should wait before retrying (sent as Retry-After). */
  retryAfter: number | undefined;

  withRetryAfter(seconds: number): this {
    this.retryAfter = seconds;
    return this;
  }

  /** Response headers the error carries (e.g. Content-Range on a 416). */
  headers: Record<string, string> = {};

  toBody(requestId?: string): ErrorBody {
    return {
      error: { message: this.message, type: this.type, code: this.code, param: this.param },
      ...(requestId ? { request_id: requestId } : {}),
    };
  }

  /** The HTTP answer both services give for this error: OpenAI's body, its status and headers. */
  toResponse(requestId?: string): Response {
    const headers = new Headers({ ...this.headers, 'content-type': 'application/json' });
    if (this.retryAfter !== undefined) headers.set('retry-after', String(this.retryAfter));
    if (requestId) headers.set('x-request-id', requestId);
    return new Response(JSON.stringify(this.toBody(requestId)), { status: this.status, headers });
  }
}

/** What a caller may see of a failure: an ApiError as it is, anything else a bare 500 (log it first). */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError(500, 'Internal server error', { type: 'server_error' });
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Rebuilds an ApiError from a body another service of ours returned, so it can be passed on unchanged. */
export function apiErrorFromBody(status: number, body: ErrorBody): ApiError {
  const { message, type, code, param } = body.error;
  return new ApiError(status, message, {
    type: type as ErrorType,
    ...(code ? { code } : {}),
    ...(param ? { param } : {}),
  });
}
