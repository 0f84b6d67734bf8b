/** The Worker's API as the page calls it: same origin, Bearer key when one is set, OpenAI error shape. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export interface ApiClient {
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, init?: RequestInit): Promise<T>;
}

async function errorFrom(response: Response): Promise<ApiRequestError> {
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { message?: unknown; code?: unknown } }
    | undefined;
  const message =
    typeof body?.error?.message === 'string'
      ? body.error.message
      : `HTTP ${response.status} ${response.statusText}`;
  const code = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  return new ApiRequestError(response.status, message, code);
}

export function createApiClient(getApiKey: () => string, baseUrl = ''): ApiClient {
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const key = getApiKey().trim();
    if (key) headers.set('authorization', `Bearer ${key}`);
    const response = await fetch(`${baseUrl}${path}`, { ...init, headers });
    if (!response.ok) throw await errorFrom(response);
    return response;
  };
  return {
    request,
    json: async <T>(path: string, init?: RequestInit) => (await (await request(path, init)).json()) as T,
  };
}

export interface ModelList {
  data: Array<{ id: string }>;
}
