import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { uploadStream } from './r2-stream-upload.js';

const MiB = 1024 * 1024;

async function* pieces(total: number, pieceSize: number, failAt?: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < total; offset += pieceSize) {
    if (failAt !== undefined && offset >= failAt) throw new Error('client went away');
    const n = Math.min(pieceSize, total - offset);
    yield new Uint8Array(n).map((_, i) => (offset + i) % 251);
  }
}

async function sha256(data: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data as ArrayBuffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function expected(total: number): Promise<string> {
  return sha256(new Uint8Array(total).map((_, i) => i % 251));
}

describe('uploadStream', () => {
  it('stores a small body with one put', async () => {
    const result = await uploadStream(env.UPLOADS, 'small.bin', pieces(1000, 300), {
      contentType: 'audio/wav',
    });
    const object = await env.UPLOADS.get('small.bin');
    expect(result.size).toBe(1000);
    expect(object?.httpMetadata?.contentType).toBe('audio/wav');
    expect(await sha256(await object!.arrayBuffer())).toBe(await expected(1000));
  });

  it('switches to a multipart upload above one part and keeps every byte in order', async () => {
    const total = 12 * MiB + 12345;
    const result = await uploadStream(env.UPLOADS, 'large.bin', pieces(total, 64 * 1024 + 7), {
      partSize: 5 * MiB,
    });
    const object = await env.UPLOADS.get('large.bin');
    expect(result.size).toBe(total);
    expect(result.sha256).toBe(await expected(total));
    expect(object?.size).toBe(total);
    expect(await sha256(await object!.arrayBuffer())).toBe(await expected(total));
  });

  it('leaves no object behind when the stream fails mid-way', async () => {
    const failing = uploadStream(env.UPLOADS, 'broken.bin', pieces(12 * MiB, MiB, 7 * MiB), {
      partSize: 5 * MiB,
    });
    await expect(failing).rejects.toThrow('client went away');
    expect(await env.UPLOADS.head('broken.bin')).toBeNull();
  });

  it('refuses parts smaller than R2 accepts', async () => {
    await expect(uploadStream(env.UPLOADS, 'x', pieces(10, 10), { partSize: MiB })).rejects.toThrow(
      RangeError,
    );
  });
});
