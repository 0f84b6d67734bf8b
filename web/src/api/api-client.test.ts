import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, createApiClient } from './api-client.js';

// The Worker is not reachable from this unit test; the page's real calls are covered end to end in
// scripts/src/web-app.test.ts. Here fetch is replaced to check what the client sends and how it reads errors.
afterEach(() => vi.unstubAllGlobals());

describe('createApiClient', () => {
  it('sends the key as a Bearer token only when one is set', async () => {
    const seen: Array<string | null> = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get('authorization'));
      return Response.json({ data: [] });
    });
    let key = '';
    const client = createApiClient(() => key);
    await client.json('/v1/models');
    key = ' sk-test ';
    await client.json('/v1/models');
    expect(seen).toEqual([null, 'Bearer sk-test']);
  });

  it('turns OpenAI error JSON into an ApiRequestError with status, message and code', async () => {
    vi.stubGlobal('fetch', async () =>
      Response.json(
        {
          error: {
            message: 'Incorrect API key provided',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        },
        { status: 401 },
      ),
    );
    const error = await createApiClient(() => 'x')
      .json('/v1/models')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      status: 401,
      message: 'Incorrect API key provided',
      code: 'invalid_api_key',
    });
  });

  it('falls back to the HTTP status when the body is not JSON', async () => {
    vi.stubGlobal(
      'fetch',
      async () => new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' }),
    );
    await expect(createApiClient(() => '').request('/health')).rejects.toThrow('HTTP 502 Bad Gateway');
  });
});
