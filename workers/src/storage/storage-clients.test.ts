import { AwsClient } from 'aws4fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { awsList, type S3Endpoint } from './storage-clients.js';

const target: S3Endpoint = {
  kind: 'r2',
  endpoint: 'https://account.r2.example',
  client: new AwsClient({ accessKeyId: 'id', secretAccessKey: 'secret', service: 's3', region: 'auto' }),
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('awsList (S3 ListParts)', () => {
  it('reads the parts R2 reports, with a signed request', async () => {
    const fetch = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(
        new Response(
          '<ListPartsResult><Part><PartNumber>1</PartNumber><ETag>&quot;abc&quot;</ETag><Size>5242880</Size></Part></ListPartsResult>',
        ),
      );
    expect(await awsList(target, 'bucket', 'uploads/a b.wav', 'up-1')).toEqual([
      { PartNumber: 1, Size: 5242880, ETag: '"abc"' },
    ]);
    const request = fetch.mock.calls[0]![0] as Request;
    expect(request.url).toBe('https://account.r2.example/bucket/uploads/a%20b.wav?uploadId=up-1');
    expect(request.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('gives up at once where ListParts is not implemented (no retries with backoff)', async () => {
    const fetch = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response('not implemented', { status: 501 }));
    expect(await awsList(target, 'bucket', 'k', 'up-1')).toBeUndefined();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
