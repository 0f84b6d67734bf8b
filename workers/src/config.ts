import { ApiError, type WorkLimits } from '@whisper-edge/shared';
import { z } from 'zod';
import type { Bindings } from './env.js';

/**
 * The Worker's configuration, parsed and checked once per `env` object: every [vars] entry and secret
 * is read here and nowhere else, so a number is parsed one way and a missing secret fails one way.
 */
export interface EdgeConfig {
  /** Public origin of this Worker when set; otherwise each request's own origin. */
  publicUrl: string | undefined;
  gpu: {
    /** GPU_SERVICE_URLS, or the single GPU_SERVICE_URL; no trailing slash, no duplicates. */
    urls: string[];
    secret: string | undefined;
    idleTimeoutMs: number;
    /** GPU work one API key may have running at once (sync, stream=true and job attempts); 0 = no cap. */
    maxConcurrentPerTenant: number;
    /** How long a live session keeps trying to reach another GPU service after losing one. */
    realtimeReconnectMs: number;
  };
  /** Signs /internal/objects/* URLs; never held by GPU hosts (see objectUrlSecret). */
  objectUrlSecret: string | undefined;
  limits: { sync: WorkLimits; job: WorkLimits };
  audioUrlTtlSeconds: number;
  /** Inputs in R2 bigger than this run as jobs; Infinity when unset or 0. */
  asyncThresholdBytes: number;
  jobRetryBaseSeconds: number;
  /** A finished job's record, stored result and the audio uploaded with it live this long; 0 = forever. */
  jobRetentionSeconds: number;
  webhook: {
    secret: string | undefined;
    retryBaseSeconds: number;
    timeoutMs: number;
    /** DNS-over-HTTPS JSON endpoint that callback hosts are resolved with before each delivery. */
    resolverUrl: string;
    /** Local development: callbacks to loopback are allowed and names are not resolved. */
    allowLocal: boolean;
  };
  /** Host patterns (`*.example.com`); empty = any public host. */
  callbackAllowedHosts: string[];
  s3AllowedHosts: string[];
  devAllowLocalUrls: boolean;
  bucketName: string;
  /** Buckets results may be exported to; `['*']` for any. Defaults to the bound bucket. */
  exportBuckets: string[];
  corsOrigins: string[];
  apiKeys: string | undefined;
  r2S3: S3Credentials | undefined;
  awsS3: (S3Credentials & { region: string }) | undefined;
}

export interface S3Credentials {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const text = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** `0` is a value (no retry delay in tests); absent or empty takes the default; anything else is an error. */
function seconds(fallback: number) {
  return text.pipe(
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return fallback;
        const n = Number(v);
        if (Number.isFinite(n) && n >= 0) return n;
        ctx.addIssue({ code: 'custom', message: `must be a number ≥ 0 (got '${v}')` });
        return z.NEVER;
      }),
  );
}

const list = text.transform((v) =>
  (v ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const varsSchema = z.object({
  PUBLIC_URL: text.pipe(z.url().optional()),
  GPU_SERVICE_URL: text,
  GPU_SERVICE_URLS: list,
  GPU_SHARED_SECRET: text,
  OBJECT_URL_SECRET: text,
  GPU_IDLE_TIMEOUT_SECONDS: seconds(120),
  MAX_CONCURRENT_PER_TENANT: seconds(4),
  REALTIME_RECONNECT_SECONDS: seconds(30),
  MAX_SYNC_AUDIO_SECONDS: seconds(7200),
  MAX_JOB_AUDIO_SECONDS: seconds(14_400),
  SYNC_DEADLINE_SECONDS: seconds(1800),
  JOB_DEADLINE_SECONDS: seconds(14_400),
  AUDIO_URL_TTL_SECONDS: seconds(3600),
  ASYNC_THRESHOLD_BYTES: seconds(0),
  JOB_RETRY_BASE_SECONDS: seconds(5),
  JOB_RETENTION_SECONDS: seconds(30 * 86_400),
  WEBHOOK_SECRET: text,
  WEBHOOK_RETRY_BASE_SECONDS: seconds(5),
  WEBHOOK_TIMEOUT_SECONDS: seconds(15),
  DNS_RESOLVER_URL: text.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CALLBACK_URL_ALLOWED_HOSTS: list,
  S3_URL_ALLOWED_HOSTS: list,
  DEV_ALLOW_LOCAL_URLS: text,
  R2_BUCKET_NAME: text,
  EXPORT_BUCKETS: list,
  CORS_ORIGINS: list,
  API_KEYS: z.string().optional(),
  R2_ENDPOINT: text,
  R2_ACCESS_KEY_ID: text,
  R2_SECRET_ACCESS_KEY: text,
  AWS_ACCESS_KEY_ID: text,
  AWS_SECRET_ACCESS_KEY: text,
  AWS_DEFAULT_REGION: text,
  AWS_S3_ENDPOINT: text,
});

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

function misconfigured(message: string): ApiError {
  return new ApiError(500, message, { code: 'server_misconfigured', type: 'server_error' });
}

function parse(env: Bindings): EdgeConfig {
  const parsed = varsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw misconfigured(`The Worker's configuration is invalid: ${issue.path.join('.')} ${issue.message}`);
  }
  const v = parsed.data;
  const bucketName = v.R2_BUCKET_NAME ?? 'default-uploads';
  const urls =
    v.GPU_SERVICE_URLS.length > 0 ? v.GPU_SERVICE_URLS : v.GPU_SERVICE_URL ? [v.GPU_SERVICE_URL] : [];
  const region = v.AWS_DEFAULT_REGION ?? 'us-east-1';
  return {
    publicUrl: v.PUBLIC_URL ? withoutSlash(v.PUBLIC_URL) : undefined,
    gpu: {
      urls: [...new Set(urls.map(withoutSlash))],
      secret: v.GPU_SHARED_SECRET,
      idleTimeoutMs: v.GPU_IDLE_TIMEOUT_SECONDS * 1000,
      maxConcurrentPerTenant: Math.floor(v.MAX_CONCURRENT_PER_TENANT),
      realtimeReconnectMs: v.REALTIME_RECONNECT_SECONDS * 1000,
    },
    limits: {
      sync: { max_audio_seconds: v.MAX_SYNC_AUDIO_SECONDS, deadline_seconds: v.SYNC_DEADLINE_SECONDS },
      job: { max_audio_seconds: v.MAX_JOB_AUDIO_SECONDS, deadline_seconds: v.JOB_DEADLINE_SECONDS },
    },
    objectUrlSecret: v.OBJECT_URL_SECRET,
    audioUrlTtlSeconds: v.AUDIO_URL_TTL_SECONDS || 3600,
    asyncThresholdBytes: v.ASYNC_THRESHOLD_BYTES || Number.POSITIVE_INFINITY,
    jobRetryBaseSeconds: v.JOB_RETRY_BASE_SECONDS,
    jobRetentionSeconds: v.JOB_RETENTION_SECONDS,
    webhook: {
      secret: v.WEBHOOK_SECRET,
      retryBaseSeconds: v.WEBHOOK_RETRY_BASE_SECONDS,
      timeoutMs: (v.WEBHOOK_TIMEOUT_SECONDS || 15) * 1000,
      resolverUrl: v.DNS_RESOLVER_URL ?? 'https://cloudflare-dns.com/dns-query',
      allowLocal: v.DEV_ALLOW_LOCAL_URLS === 'true',
    },
    callbackAllowedHosts: v.CALLBACK_URL_ALLOWED_HOSTS.map((h) => h.toLowerCase()),
    s3AllowedHosts: v.S3_URL_ALLOWED_HOSTS.map((h) => h.toLowerCase()),
    devAllowLocalUrls: v.DEV_ALLOW_LOCAL_URLS === 'true',
    bucketName,
    exportBuckets: v.EXPORT_BUCKETS.length > 0 ? v.EXPORT_BUCKETS : [bucketName],
    corsOrigins: v.CORS_ORIGINS,
    apiKeys: v.API_KEYS,
    r2S3:
      v.R2_ENDPOINT && v.R2_ACCESS_KEY_ID && v.R2_SECRET_ACCESS_KEY
        ? {
            endpoint: withoutSlash(v.R2_ENDPOINT),
            accessKeyId: v.R2_ACCESS_KEY_ID,
            secretAccessKey: v.R2_SECRET_ACCESS_KEY,
          }
        : undefined,
    awsS3:
      v.AWS_ACCESS_KEY_ID && v.AWS_SECRET_ACCESS_KEY
        ? {
            endpoint: withoutSlash(v.AWS_S3_ENDPOINT ?? `https://s3.${region}.amazonaws.com`),
            accessKeyId: v.AWS_ACCESS_KEY_ID,
            secretAccessKey: v.AWS_SECRET_ACCESS_KEY,
            region,
          }
        : undefined,
  };
}

// `env` is one object per isolate (and per test's stub), so this parses once, not on every request.
const cache = new WeakMap<Bindings, EdgeConfig>();

export function edgeConfig(env: Bindings): EdgeConfig {
  let config = cache.get(env);
  if (!config) {
    config = parse(env);
    cache.set(env, config);
  }
  return config;
}

/** The secret that signs edge → GPU calls and object URLs: without it nothing can reach the GPU. */
export function gpuSecret(config: EdgeConfig): string {
  if (!config.gpu.secret)
    throw misconfigured(
      'GPU_SHARED_SECRET is not configured on the edge (wrangler secret put GPU_SHARED_SECRET)',
    );
  return config.gpu.secret;
}

/**
 * The secret that signs and checks object URLs. It must not be GPU_SHARED_SECRET: every GPU host holds
 * that one, and with it could mint URLs to read or write any object in the bucket, not only the ones
 * it was handed. So there is no fallback to it, and the same value in both is no secret of its own.
 */
export function objectUrlSecret(config: EdgeConfig): string | undefined {
  const secret = config.objectUrlSecret;
  return secret && secret !== config.gpu.secret ? secret : undefined;
}

/** objectUrlSecret for minting: without any secret, no URL could ever be checked. */
export function requireObjectUrlSecret(config: EdgeConfig): string {
  const secret = objectUrlSecret(config);
  if (!secret)
    throw misconfigured(
      config.objectUrlSecret
        ? 'OBJECT_URL_SECRET must differ from GPU_SHARED_SECRET, which GPU hosts hold (wrangler secret put OBJECT_URL_SECRET)'
        : 'OBJECT_URL_SECRET is not configured on the edge (wrangler secret put OBJECT_URL_SECRET, a value GPU hosts never get)',
    );
  return secret;
}
