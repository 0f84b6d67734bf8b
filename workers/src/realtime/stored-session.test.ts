import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { WavRecorder } from './stored-session.js';

/** The recording on the real R2 binding (miniflare): small sessions in one put, long ones multipart. */
describe('WavRecorder', () => {
  it('writes a long session as a multipart WAV whose header, held back to the end, states its length', async () => {
    const recorder = new WavRecorder(env.UPLOADS, 'realtime/test/long.wav');
    // 12 MiB + a bit, in uneven chunks: three 5 MiB parts, the first written last.
    const total = 12 * 1024 * 1024 + 1234;
    let written = 0;
    for (let size = 4096; written < total; size = ((size * 3) % 300_000) + 2) {
      const chunk = new Uint8Array(Math.min(size, total - written) & ~1);
      for (let i = 0; i < chunk.length; i++) chunk[i] = (written + i) % 251;
      recorder.append(chunk);
      written += chunk.length;
      if (chunk.length === 0) break;
    }
    const bytes = await recorder.finish();
    const object = await env.UPLOADS.get('realtime/test/long.wav');
    const wav = new Uint8Array(await object!.arrayBuffer());
    expect(bytes).toBe(44 + written);
    expect(wav.byteLength).toBe(44 + written);
    expect(new DataView(wav.buffer).getUint32(40, true)).toBe(written);
    expect(object!.httpMetadata?.contentType).toBe('audio/wav');
    for (const at of [0, 5 * 1024 * 1024 - 44, 5 * 1024 * 1024, written - 1])
      expect(wav[44 + at]).toBe(at % 251);
  });
});
