import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import { root } from './stack.js';

/**
 * A SigV4 client for wrangler dev's local S3 endpoint, with the local-only keys from wrangler.toml: a
 * real S3-compatible server that checks signatures and expiry, for tests and benchmarks.
 */
export function localS3Client(): AwsClient {
  const toml = readFileSync(path.join(root, 'wrangler.toml'), 'utf8');
  return new AwsClient({
    accessKeyId: /accessKeyId\s*=\s*"([^"]+)"/.exec(toml)![1]!,
    secretAccessKey: /secretAccessKey\s*=\s*"([^"]+)"/.exec(toml)![1]!,
    service: 's3',
    region: 'auto',
  });
}
