import { ApiError } from '@whisper-edge/shared';
import { AwsClient } from 'aws4fetch';
import type { EdgeConfig } from '../config.js';

/** An S3-compatible endpoint we can pre-sign URLs for: R2's S3 API or AWS S3 (or a compatible store). */
export interface S3Endpoint {
  kind: 'r2' | 's3';
  client: AwsClient;
  /** Path-style base, e.g. `https://<account>.r2.cloudflarestorage.com`. */
  endpoint: string;
}

export function r2S3Endpoint(config: EdgeConfig): S3Endpoint | undefined {
  const r2 = config.r2S3;
  if (!r2) return undefined;
  return {
    kind: 'r2',
    endpoint: r2.endpoint,
    client: new AwsClient({
      accessKeyId: r2.accessKeyId,
      secretAccessKey: r2.secretAccessKey,
      service: 's3',
      region: 'auto',
    }),
  };
}

export function awsS3Endpoint(config: EdgeConfig): S3Endpoint | undefined {
  const s3 = config.awsS3;
  if (!s3) return undefined;
  return {
    kind: 's3',
    endpoint: s3.endpoint,
    client: new AwsClient({
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      service: 's3',
      region: s3.region,
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
