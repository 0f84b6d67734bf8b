import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubHealth } from '../../test/gpu-stub.js';
import app from '../index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

async function health(): Promise<Record<string, unknown>> {
  const response = await app.fetch(new Request('http://edge.test/health'), env);
  expect(response.status).toBe(200);
  return response.json();
}

describe('GET /health', () => {
  it('reports the guide shape with the GPU service device and R2 working', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      Response.json(stubHealth({ device: 'cuda', model: 'openai/whisper-base' })),
    );
    expect(await health()).toMatchObject({
      status: 'healthy',
      gpu_available: true,
      storage_clients: { r2_enabled: true, s3_enabled: false },
      gpu_service: { reachable: true, device: 'cuda', model_loaded: true },
    });
  });

  it('says gpu_available false for a CPU-only service', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json(stubHealth({ device: 'cpu' })));
    expect(await health()).toMatchObject({ status: 'healthy', gpu_available: false });
  });

  it('is degraded, not failing, when the GPU service is unreachable', async () => {
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('connection refused'));
    const body = await health();
    expect(body).toMatchObject({
      status: 'degraded',
      gpu_available: false,
      gpu_service: { reachable: false },
    });
    expect((body.gpu_service as { error: string }).error).toContain('connection refused');
    expect(body.gpu_pool).toEqual({ size: 2, reachable: 0 });
  });

  it('does not count a /health answer outside the GPU contract as a GPU service', async () => {
    // Another program on the GPU port (or a GPU service of an incompatible version) is not capacity.
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => Response.json({ device: 'cuda', ok: true }));
    const body = await health();
    expect(body).toMatchObject({ status: 'degraded', gpu_pool: { size: 2, reachable: 0 } });
    expect((body.gpu_service as { error: string }).error).toMatch(/not a GPU service health/);
  });

  it('stays healthy while one service of the pool is down, and says so', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = new URL(new Request(input).url);
      if (url.hostname === 'gpu-b.test') throw new TypeError('connection refused');
      return Response.json(stubHealth({ device: 'cuda' }));
    });
    expect(await health()).toMatchObject({
      status: 'healthy',
      gpu_available: true,
      gpu_pool: { size: 2, reachable: 1 },
    });
  });
});
