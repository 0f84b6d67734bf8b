import { ApiError } from '@whisper-edge/shared';
import { AwsClient } from 'aws4fetch';
import type { Bindings } from '../env.js';

/** An S3-compatible endpoint we can pre-sign URLs for: R2's S3 API or AWS S3 (or a compatible store). */
export interface S3Endpoint {
  kind: 'r2' | 's3';
  client: AwsClient;
  /** Path-style base, e.g. `https://<account>.r2.cloudflarestorage.com`. */
  endpoint: string;
}

export function r2S3Endpoint(env: Bindings): S3Endpoint | undefined {
  if (!env.R2_ENDPOINT || !env.R2_ACCESS_KEY_ID || !env.R2_SECRET_ACCESS_KEY) return undefined;
  return {
    kind: 'r2',
    endpoint: env.R2_ENDPOINT.replace(/\/+$/, ''),
    client: new AwsClient({
      accessKeyId: env.R2_ACCESS_KEY_ID,
      secretAccessKey: env.R2_SECRET_ACCESS_KEY,
      service: 's3',
      region: 'auto',
    }),
  };
}

export function awsS3Endpoint(env: Bindings): S3Endpoint | undefined {
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  const region = env.AWS_DEFAULT_REGION || 'us-east-1';
  return {
    kind: 's3',
    endpoint: (env.AWS_S3_ENDPOINT || `https://s3.${region}.amazonaws.com`).replace(/\/+$/, ''),
    client: new AwsClient({
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      service: 's3',
      region,
    }),
  };
}

/** R2's S3 API allows at most 7 days; ours stay short since they only bridge edge and GPU. */
const MAX_EXPIRY_SECONDS = 7 * 24 * 3600;

export async function presign(
  target: S3Endpoint,
  bucket: string,
  key: string,
  options: { method: 'GET' | 'PUT' | 'HEAD'; expiresSeconds: number; query?: Record<string, string> },
): Promise<string> {
  const url = new URL(
    `${target.endpoint}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`,
  );
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  url.searchParams.set(
    'X-Amz-Expires',
    String(Math.min(Math.max(1, options.expiresSeconds), MAX_EXPIRY_SECONDS)),
  );
  const signed = await target.client.sign(new Request(url, { method: options.method }), {
    aws: { signQuery: true },
  });
  return signed.url;
}

export function r2NotConfigured(): ApiError {
  return new ApiError(400, 'R2 client not configured', { code: 'r2_not_configured' });
}

export function s3NotConfigured(): ApiError {
  return new ApiError(400, 'S3 client not configured', { code: 's3_not_configured' });
}

/**
 * S3 ListParts for an upload whose parts went straight to R2. Returns undefined where the endpoint
 * does not implement it (wrangler's local S3 answers 501), so callers fall back to their own ledger.
 */
export async function awsList(
  target: S3Endpoint,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<Array<{ PartNumber: number; Size: number; ETag: string }> | undefined> {
  const url = new URL(
    `${target.endpoint}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`,
  );
  url.searchParams.set('uploadId', uploadId);
  // One attempt: aws4fetch retries 5xx ten times with backoff (tens of seconds), and a 501 is final.
  const response = await fetch(await target.client.sign(url.toString(), { method: 'GET' }));
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  const xml = await response.text();
  return [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((match) => {
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(match[1]!)?.[1] ?? '';
    return {
      PartNumber: Number(field('PartNumber')),
      Size: Number(field('Size')),
      ETag: field('ETag').replace(/&quot;/g, '"'),
    };
  });
}
