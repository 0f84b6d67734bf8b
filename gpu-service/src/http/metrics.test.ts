import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, signedInternalRequest } from '../../test/test-app.js';

describe('/metrics', () => {
  it('labels requests by route pattern, and every unknown path as one "unmatched" series', async () => {
    const app = createTestApp();
    const names = Array.from({ length: 50 }, () => `probe-${randomUUID()}`);
    for (const [i, name] of names.entries()) {
      // Half unsigned (401 from the signature check), half signed (404: no such route).
      const response =
        i % 2 === 0
          ? await app.request(`/internal/${name}`, { method: 'POST', body: '{}' })
          : await signedInternalRequest(app, `/internal/${name}`, {});
      expect(response.status).toBe(i % 2 === 0 ? 401 : 404);
    }
    expect((await app.request('/internal/transcribe', { method: 'POST', body: '{}' })).status).toBe(401);
    const text = await (await app.request('/metrics')).text();
    for (const name of names) expect(text).not.toContain(name);
    const series = text.split('\n').filter((line) => line.startsWith('whisper_requests_total{'));
    expect(series.sort()).toEqual(
      [
        'whisper_requests_total{route="/internal/transcribe",status="401"} 1',
        'whisper_requests_total{route="unmatched",status="401"} 25',
        'whisper_requests_total{route="unmatched",status="404"} 25',
      ].sort(),
    );
  });

  it('is open when METRICS_TOKEN is unset', async () => {
    const response = await createTestApp().request('/metrics');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('whisper_queue_depth');
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-for-tests';
    const app = createTestApp({ env: { METRICS_TOKEN: token } });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${token}x`, token, `Basic ${token}`]) {
      const response = await app.request('/metrics', { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { message: expect.any(String) } });
    }
    const ok = await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('whisper_queue_depth');
  });
});
