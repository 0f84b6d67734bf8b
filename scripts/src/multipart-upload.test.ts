import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssBytes, runMultipartUpload } from './bench/multipart-upload.js';
import { localS3Client } from './test-support/local-s3.js';
import { descendantsNamed } from './test-support/processes.js';
import { type RunningStack, startStack } from './test-support/stack.js';

/**
 * A 320 MB browser-style multipart upload through the local stack's Worker part route (wrangler dev,
 * workerd, local R2), with one part cut off mid-body and resumed. The Worker streams each part into
 * R2, so its resident memory must not grow with the file.
 */
const MiB = 1024 * 1024;
const TOTAL = 320 * MiB;
let stack: RunningStack;
let edge: string;

beforeAll(async () => {
  stack = await startStack(['--edge-only', '--object-route']);
  edge = stack.edge;
});

afterAll(async () => {
  await stack?.stop('SIGKILL');
});

async function downloadSha256(key: string): Promise<string> {
  const s3 = localS3Client();
  const url = `${edge}/cdn-cgi/local/r2/s3/default-uploads/${key}?X-Amz-Expires=600`;
  const signed = await s3.sign(new Request(url), { aws: { signQuery: true } });
  const response = await fetch(signed.url);
  expect(response.status).toBe(200);
  const hash = createHash('sha256');
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/** A POST with a Host header of the caller's choosing (fetch does not let one set it). */
function postWithHost(url: string, host: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { host, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('object URLs the Worker mints', () => {
  it('point at its own origin whatever Host header the caller sends', async () => {
    // wrangler dev passes the caller's Host through: URLs built from it would send the GPU service
    // (which trusts edge URLs) or a browser to a host of the attacker's choosing.
    const answer = JSON.parse(
      await postWithHost(`${edge}/v1/uploads/presign`, 'metadata.internal.example', '{"filename":"a.wav"}'),
    ) as { url: string; direct_to_r2: boolean };
    expect(answer.direct_to_r2).toBe(false);
    expect(new URL(answer.url).origin).toBe(edge);
  });
});

describe('large multipart upload through the Worker', () => {
  it('uploads 320 MB, resumes an interrupted part, keeps the Worker’s memory flat and every byte intact', async () => {
    const workerd = descendantsNamed(stack.process.pid!, /workerd/);
    expect(workerd.length).toBeGreaterThan(0);
    const rss = () => workerd.reduce((sum, pid) => sum + rssBytes(pid), 0);
    const measure = async (bytes: number, interruptPart?: number) => {
      let peak = rss();
      const sampler = setInterval(() => {
        peak = Math.max(peak, rss());
      }, 100);
      const run = await runMultipartUpload({
        edge,
        bytes,
        partSize: 8 * MiB,
        ...(interruptPart ? { interruptPart } : {}),
      });
      clearInterval(sampler);
      return { run, peak };
    };

    // A warm-up upload a third the size sets the level the runtime settles at (allocator, R2 simulator).
    const small = await measure(96 * MiB);
    const large = await measure(TOTAL, 5);

    expect(large.run.resumedParts).toEqual([5]);
    expect(await downloadSha256(large.run.key)).toBe(large.run.sourceSha256);
    console.log(
      `320 MB in ${large.run.seconds.toFixed(1)} s (${(TOTAL / MiB / large.run.seconds).toFixed(0)} MB/s); ` +
        `workerd peak RSS ${(small.peak / MiB).toFixed(0)} MiB after 96 MB, ${(large.peak / MiB).toFixed(0)} MiB during 320 MB`,
    );
    // Flat: 3.3× the bytes may not cost more than a part's worth of extra memory.
    expect(large.peak - small.peak).toBeLessThan(64 * MiB);
  });
});
