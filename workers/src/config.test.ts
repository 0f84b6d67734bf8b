import { describe, expect, it } from 'vitest';
import { edgeConfig, gpuSecret, requireObjectUrlSecret } from './config.js';
import type { Bindings } from './env.js';

const vars = (over: Record<string, string | undefined>) => ({ ...over }) as unknown as Bindings;

describe('edge configuration', () => {
  it('reads the pool from GPU_SERVICE_URLS, else the single URL', () => {
    const pool = edgeConfig(
      vars({ GPU_SERVICE_URL: 'http://a:1', GPU_SERVICE_URLS: ' http://b:2/, http://c:3 ,http://b:2' }),
    );
    expect(pool.gpu.urls).toEqual(['http://b:2', 'http://c:3']);
    expect(edgeConfig(vars({ GPU_SERVICE_URL: 'http://a:1/', GPU_SERVICE_URLS: '' })).gpu.urls).toEqual([
      'http://a:1',
    ]);
  });

  it('takes 0 as a value, absent or empty as the default', () => {
    const config = edgeConfig(vars({ JOB_RETRY_BASE_SECONDS: '0', WEBHOOK_RETRY_BASE_SECONDS: ' ' }));
    expect(config.jobRetryBaseSeconds).toBe(0);
    expect(config.webhook.retryBaseSeconds).toBe(5);
    expect(config.limits.sync).toEqual({ max_audio_seconds: 7200, deadline_seconds: 1800 });
    expect(config.asyncThresholdBytes).toBe(Number.POSITIVE_INFINITY);
    expect(config.exportBuckets).toEqual(['default-uploads']);
  });

  it('refuses a number it cannot read, naming the variable', () => {
    expect(() => edgeConfig(vars({ SYNC_DEADLINE_SECONDS: 'half an hour' }))).toThrow(
      /SYNC_DEADLINE_SECONDS must be a number ≥ 0 \(got 'half an hour'\)/,
    );
    expect(() => edgeConfig(vars({ MAX_JOB_AUDIO_SECONDS: '-1' }))).toThrow(/MAX_JOB_AUDIO_SECONDS/);
  });

  it('parses once per env object', () => {
    const env = vars({ CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(edgeConfig(env)).toBe(edgeConfig(env));
    expect(edgeConfig(env).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('has one error for a missing GPU secret, in OpenAI shape', () => {
    const error = (() => {
      try {
        gpuSecret(edgeConfig(vars({})));
      } catch (e) {
        return e as { status: number; toBody(): { error: { code: string; message: string } } };
      }
    })();
    expect(error?.status).toBe(500);
    expect(error?.toBody().error.code).toBe('server_misconfigured');
    expect(error?.toBody().error.message).toMatch(/GPU_SHARED_SECRET/);
  });

  it('never signs object URLs with the GPU hosts’ secret: no fallback, and no equal value', () => {
    const gpu = 'gpu-secret-0123456789abcdef';
    expect(() => requireObjectUrlSecret(edgeConfig(vars({ GPU_SHARED_SECRET: gpu })))).toThrow(
      /OBJECT_URL_SECRET is not configured/,
    );
    expect(() =>
      requireObjectUrlSecret(edgeConfig(vars({ GPU_SHARED_SECRET: gpu, OBJECT_URL_SECRET: gpu }))),
    ).toThrow(/OBJECT_URL_SECRET must differ from GPU_SHARED_SECRET/);
    expect(
      requireObjectUrlSecret(
        edgeConfig(vars({ GPU_SHARED_SECRET: gpu, OBJECT_URL_SECRET: 'edge-only-0123456789' })),
      ),
    ).toBe('edge-only-0123456789');
  });

  it('builds R2 and AWS S3 credentials only when complete', () => {
    expect(
      edgeConfig(vars({ R2_ENDPOINT: 'https://r2.example/', R2_ACCESS_KEY_ID: 'k' })).r2S3,
    ).toBeUndefined();
    const s3 = edgeConfig(vars({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).awsS3;
    expect(s3).toMatchObject({ endpoint: 'https://s3.us-east-1.amazonaws.com', region: 'us-east-1' });
  });
});
