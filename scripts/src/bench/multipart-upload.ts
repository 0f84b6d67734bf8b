import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Drives a browser-style multipart upload (the Uppy endpoints) against a running edge, with data
 * generated on the fly so neither side of the test holds the file in memory. One part can be cut
 * off mid-body to exercise resume.
 */
export interface MultipartRun {
  bytes: number;
  seconds: number;
  sourceSha256: string;
  key: string;
  uploadId: string;
  resumedParts: number[];
}

const MiB = 1024 * 1024;

/** Deterministic bytes for part `n` (1-based): a FLAC signature first, so the edge accepts it as audio. */
export function partBytes(n: number, partSize: number, total: number): Uint8Array {
  const start = (n - 1) * partSize;
  const length = Math.min(partSize, total - start);
  const bytes = new Uint8Array(length);
  let x = (n * 2654435761) >>> 0;
  for (let i = 0; i < length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
    if (i + 1 < length) bytes[i + 1] = (x >>> 8) & 0xff;
    if (i + 2 < length) bytes[i + 2] = (x >>> 16) & 0xff;
    if (i + 3 < length) bytes[i + 3] = x >>> 24;
  }
  if (n === 1) bytes.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0x00, 0x00, 0x22], 0);
  return bytes;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Sends half of a part and then drops the connection, as a flaky network would. */
async function interruptedPut(url: string, bytes: Uint8Array): Promise<void> {
  const controller = new AbortController();
  const half = bytes.subarray(0, bytes.length >> 1);
  const body = new ReadableStream<Uint8Array>({
    start(stream) {
      stream.enqueue(half);
    },
    pull() {
      controller.abort(new Error('network dropped'));
    },
  });
  await fetch(url, {
    method: 'PUT',
    body,
    headers: { 'content-length': String(bytes.length) },
    signal: controller.signal,
    duplex: 'half',
  } as RequestInit).catch(() => undefined);
}

export async function runMultipartUpload(options: {
  edge: string;
  bytes: number;
  partSize?: number;
  interruptPart?: number;
  concurrency?: number;
}): Promise<MultipartRun> {
  const partSize = options.partSize ?? 8 * MiB;
  const total = options.bytes;
  const partCount = Math.ceil(total / partSize);
  const api = `${options.edge}/v1/uploads/s3/multipart`;
  const started = performance.now();
  const { key, uploadId } = await json<{ key: string; uploadId: string }>(
    await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'big.flac', type: 'audio/flac' }),
    }),
  );
  const q = `key=${encodeURIComponent(key)}`;
  const hash = createHash('sha256');
  for (let n = 1; n <= partCount; n++) hash.update(partBytes(n, partSize, total));
  const sourceSha256 = hash.digest('hex');

  const signPart = async (n: number) =>
    (await json<{ url: string }>(await fetch(`${api}/${uploadId}/${n}?${q}`))).url;
  const sendPart = async (n: number) => {
    const response = await fetch(await signPart(n), { method: 'PUT', body: partBytes(n, partSize, total) });
    if (!response.ok) throw new Error(`part ${n}: HTTP ${response.status}`);
  };

  // First pass: every part, with one cut off mid-body.
  const queue = Array.from({ length: partCount }, (_, i) => i + 1);
  const workers = Array.from({ length: options.concurrency ?? 3 }, async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      if (n === options.interruptPart) await interruptedPut(await signPart(n), partBytes(n, partSize, total));
      else await sendPart(n);
    }
  });
  await Promise.all(workers);

  // Resume as Uppy does: ask which parts the server has, send the rest.
  const listed = await json<Array<{ PartNumber: number; ETag: string }>>(
    await fetch(`${api}/${uploadId}?${q}`),
  );
  const have = new Set(listed.map((p) => p.PartNumber));
  const resumedParts = Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
  for (const n of resumedParts) await sendPart(n);
  const parts = await json<Array<{ PartNumber: number; ETag: string }>>(
    await fetch(`${api}/${uploadId}?${q}`),
  );
  await json(
    await fetch(`${api}/${uploadId}/complete?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) }),
    }),
  );
  return {
    bytes: total,
    seconds: (performance.now() - started) / 1000,
    sourceSha256,
    key,
    uploadId,
    resumedParts,
  };
}

/** Resident memory of a process, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}
