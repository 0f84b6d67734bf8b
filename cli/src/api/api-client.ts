import { CliError, Interrupted, isAbort } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-codes.js';
import { ApiFailure } from './api-error.js';

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | ReadableStream<Uint8Array>;
  /** Bodies that stream need it (fetch's rule); set whenever `body` is a stream. */
  duplex?: 'half';
  /** What the request was for, in the error line: "upload part 3". */
  what?: string;
}

/** Why fetch could not even get an answer, in words (fetch itself only says "fetch failed"). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  if (cause?.code === 'ECONNRESET') return 'connection reset';
  return cause?.message ?? (error as Error).message;
}

/**
 * The edge's HTTP API: the key goes along as a Bearer token on its own origin only (never to pre-signed
 * part URLs), every non-2xx answer becomes an ApiFailure, Ctrl-C aborts whatever is in flight.
 */
export class ApiClient {
  readonly base: string;
  readonly #apiKey: string | undefined;
  readonly signal: AbortSignal;

  constructor(base: string, apiKey: string | undefined, signal: AbortSignal) {
    this.base = base.replace(/\/+$/, '');
    this.#apiKey = apiKey;
    this.signal = signal;
  }

  /** `path` is on the edge (`/v1/…`, the key is sent) or an absolute URL the edge minted (it is not). */
  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const own = path.startsWith('/');
    const url = own ? `${this.base}${path}` : path;
    const headers: Record<string, string> = { ...options.headers };
    if (own && this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    const what = options.what ?? `${options.method ?? 'GET'} ${own ? path.split('?')[0] : 'upload URL'}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        signal: this.signal,
        ...(options.body !== undefined ? { body: options.body } : {}),
        ...(options.duplex ? { duplex: options.duplex } : {}),
      } as RequestInit);
    } catch (error) {
      if (isAbort(error) || this.signal.aborted) throw new Interrupted();
      throw new CliError(
        `${what}: cannot reach ${new URL(url).origin} (${networkReason(error)})`,
        ExitCode.unreachable,
      );
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new ApiFailure(response.status, text, what);
    }
    return response;
  }

  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(path, options);
    try {
      return (await response.json()) as T;
    } catch (error) {
      if (isAbort(error) || this.signal.aborted) throw new Interrupted();
      throw new CliError(`${options.what ?? path}: the answer was not JSON`);
    }
  }
}
