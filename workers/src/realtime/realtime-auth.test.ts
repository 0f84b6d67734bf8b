import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRealtime, pcmBase64, tone } from '../../test/realtime-client.js';
import { stubRealtimeGpus } from '../../test/realtime-gpu-stub.js';
import app from '../index.js';
import { mintClientSecret, verifyClientSecret } from './client-secrets.js';

/** Who may open a live session: API keys (header or subprotocol) and client secrets, in workerd. */
const KEY = 'sk-alice-0123456789abcdef';
const keyed = { ...env, API_KEYS: `alice:${KEY},bob:sk-bob-0123456789abcdef` };

let gpus: ReturnType<typeof stubRealtimeGpus> | undefined;
afterEach(() => gpus?.restore());

async function mint(body: unknown, key = KEY) {
  return app.fetch(
    new Request('http://edge.test/v1/realtime/client_secrets', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    keyed,
  );
}

describe('realtime auth', () => {
  it('refuses a missing or wrong key with an error event and a 1008 close, before any session exists', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer sk-wrong-0123456789abcdef' },
    ];
    for (const headers of attempts) {
      const client = await connectRealtime({ env: keyed, headers });
      const closed = await client.waitClosed();
      expect(closed.code).toBe(1008);
      expect(client.events).toHaveLength(1);
      expect(client.events[0]).toMatchObject({
        type: 'error',
        error: { type: 'authentication_error', code: 'invalid_api_key' },
      });
    }
  });

  it('takes the key as a Bearer header (servers, the SDK) or as a subprotocol (browsers), answering `realtime`', async () => {
    const header = await connectRealtime({ env: keyed, headers: { authorization: `Bearer ${KEY}` } });
    await header.next('session.created');
    header.ws.close();
    const browser = await connectRealtime({
      env: keyed,
      headers: { 'sec-websocket-protocol': `realtime, openai-insecure-api-key.${KEY}` },
    });
    expect(browser.response.headers.get('sec-websocket-protocol')).toBe('realtime');
    await browser.next('session.created');
    browser.ws.close();
  });

  it('mints client secrets in OpenAI’s shape; one opens a session with the configuration it carries', async () => {
    const response = await mint({
      expires_after: { anchor: 'created_at', seconds: 120 },
      session: {
        type: 'transcription',
        audio: { input: { transcription: { language: 'fr' }, turn_detection: null } },
      },
    });
    expect(response.status).toBe(200);
    const secret = (await response.json()) as {
      value: string;
      expires_at: number;
      session: Record<string, unknown>;
    };
    expect(secret.value).toMatch(/^ek_/);
    expect(secret.expires_at - Date.now() / 1000).toBeGreaterThan(100);
    expect(secret.session).toMatchObject({ type: 'transcription', object: 'realtime.transcription_session' });
    const client = await connectRealtime({
      env: keyed,
      headers: { 'sec-websocket-protocol': `realtime, openai-insecure-api-key.${secret.value}` },
    });
    const created = await client.next('session.created');
    expect(created.session).toMatchObject({
      audio: { input: { transcription: { language: 'fr' }, turn_detection: null } },
    });
    client.ws.close();
    // The same secret works as a Bearer credential too (server-side clients).
    const bearer = await connectRealtime({
      env: keyed,
      headers: { authorization: `Bearer ${secret.value}` },
    });
    await bearer.next('session.created');
    bearer.ws.close();
  });

  it('a client secret works on the realtime route only, for the tenant that minted it', async () => {
    const { value } = (await (await mint({})).json()) as { value: string };
    const elsewhere = await app.fetch(
      new Request('http://edge.test/v1/models', { headers: { authorization: `Bearer ${value}` } }),
      keyed,
    );
    expect(elsewhere.status).toBe(401);
    const claims = await verifyClientSecret(env.OBJECT_URL_SECRET!, value);
    expect(claims.tenant).toEqual({ id: 'alice' });
  });

  it('refuses tampered and expired secrets, and bad minting requests with 400', async () => {
    const secret = env.OBJECT_URL_SECRET!;
    const good = await mintClientSecret(secret, { t: 'alice', e: Math.floor(Date.now() / 1000) + 60 });
    const [body, signature] = good.slice(3).split('.') as [string, string];
    const forged = `ek_${btoa(JSON.stringify({ t: 'bob', e: 9e9 })).replace(/=+$/, '')}.${signature}`;
    await expect(verifyClientSecret(secret, forged)).rejects.toMatchObject({ status: 401 });
    await expect(verifyClientSecret('another-secret', good)).rejects.toMatchObject({ status: 401 });
    await expect(verifyClientSecret(secret, `ek_${body}.${'0'.repeat(64)}`)).rejects.toMatchObject({
      status: 401,
    });
    await expect(verifyClientSecret(secret, good, Date.now() + 61_000)).rejects.toMatchObject({
      message: 'This client secret has expired',
    });
    const client = await connectRealtime({ env: keyed, headers: { authorization: `Bearer ${forged}` } });
    expect((await client.waitClosed()).code).toBe(1008);
    expect(client.events[0]).toMatchObject({ error: { code: 'invalid_client_secret' } });

    for (const [request, param] of [
      [{ expires_after: { seconds: 5 } }, 'expires_after.seconds'],
      [{ expires_after: { seconds: 99_999 } }, 'expires_after.seconds'],
      [{ session: { type: 'realtime' } }, 'session.type'],
      [{ session: { type: 'transcription', voice: 'x' } }, 'session.voice'],
      [{ model: 'gpt-realtime' }, 'model'],
    ] as const) {
      const refused = await mint(request);
      expect(refused.status, JSON.stringify(request)).toBe(400);
      expect(((await refused.json()) as { error: { param: string } }).error.param).toBe(param);
    }
    expect((await mint({}, 'sk-nobody-0123456789abcd')).status).toBe(401);
  });

  it('stored_output: session.close waits for pending text, writes WAV and transcript under the tenant root, names them in session.closed', async () => {
    gpus = stubRealtimeGpus();
    const client = await connectRealtime({ env: keyed, headers: { authorization: `Bearer ${KEY}` } });
    await client.next('session.created');
    client.send({
      type: 'session.update',
      session: {
        type: 'transcription',
        stored_output: true,
        audio: { input: { format: { type: 'audio/pcm', rate: 16_000 }, turn_detection: null } },
      },
    });
    await client.next('session.updated');
    const first = tone(440, 16_000, 1);
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(first) });
    client.send({ type: 'input_audio_buffer.commit' });
    await client.next('conversation.item.input_audio_transcription.completed');
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(220, 16_000, 0.5)) });
    // The open buffer becomes the last item; close answers once its text is in.
    client.send({ type: 'session.close' });
    const closed = await client.next('session.closed');
    const completed = client.of('conversation.item.input_audio_transcription.completed');
    expect(completed.map((c) => c.transcript)).toEqual(['heard 1000 ms', 'heard 500 ms']);
    const stored = closed.stored_output as {
      audio: { key: string; storage_url: string; bytes: number };
      transcript: { key: string };
    };
    expect(stored.audio.key).toMatch(/^tenants\/alice\/realtime\/\d{4}-\d{2}-\d{2}\/sess_[0-9a-f]+\.wav$/);
    expect(stored.audio.storage_url).toBe(`s3://default-uploads/${stored.audio.key}`);
    const wav = new Uint8Array(await (await env.UPLOADS.get(stored.audio.key))!.arrayBuffer());
    expect(stored.audio.bytes).toBe(wav.byteLength);
    expect(wav.byteLength).toBe(44 + 1.5 * 16_000 * 2);
    const view = new DataView(wav.buffer);
    expect(String.fromCharCode(...wav.subarray(0, 4))).toBe('RIFF');
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint32(40, true)).toBe(1.5 * 16_000 * 2);
    expect(view.getInt16(44 + 2 * 10, true)).toBe(first[10]);
    const transcript = (await (await env.UPLOADS.get(stored.transcript.key))!.json()) as {
      text: string;
      duration: number;
      segments: Array<{ start: number; end: number; text: string }>;
    };
    expect(transcript.text).toBe('heard 1000 ms heard 500 ms');
    expect(transcript.duration).toBe(1.5);
    expect(transcript.segments.map((s) => [s.start, s.end])).toEqual([
      [0, 1],
      [1, 1.5],
    ]);
    expect((await client.waitClosed()).code).toBe(1000);
  });
});
