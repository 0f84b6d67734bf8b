import { speechFlac } from '@whisper-edge/gpu-service/testing/fixtures';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmOf } from './test-support/realtime-client.js';
import { type RunningStack, startStack } from './test-support/stack.js';
import { tlsFront } from './test-support/tls-front.js';

/**
 * The official `openai` SDK's realtime WebSocket client (`openai/realtime/ws`), unchanged, against the
 * real stack (wrangler dev + a real GPU service on the generated model). The SDK connects over wss:
 * only, so a local TLS front with a fresh self-signed certificate sits before wrangler's port; the
 * client trusts that certificate (ws's `ca`, the SDK's HTTP calls an undici Agent with it).
 */
const KEY = 'sk-realtime-sdk-0123456789';
let stack: RunningStack;
let front: Awaited<ReturnType<typeof tlsFront>>;
let client: OpenAI;
let speech: Buffer;

beforeAll(async () => {
  stack = await startStack(['--test-model', '--api-keys', `sdk:${KEY}`]);
  front = await tlsFront(stack.edgePort);
  const agent = new Agent({ connect: { ca: front.ca } });
  client = new OpenAI({
    apiKey: KEY,
    baseURL: `${front.origin}/v1`,
    maxRetries: 0,
    fetch: ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher: agent })) as never,
  });
  speech = pcmOf(speechFlac, 24_000, 1, 2);
}, 300_000);

afterAll(async () => {
  await front?.close();
  await stack?.stop('SIGKILL');
});

type Collected = { type: string } & Record<string, unknown>;

/** Opens the SDK's client, collecting every event; resolves once the socket is open. */
async function connect(apiKeyClient: OpenAI = client) {
  const rt = new OpenAIRealtimeWS({ intent: 'transcription', options: { ca: front.ca } }, apiKeyClient);
  const events: Collected[] = [];
  const errors: Array<{ code?: string | null; event_id?: string | null }> = [];
  rt.on('event', (event) => events.push(event as unknown as Collected));
  rt.on('error', (error) => errors.push(error.error ?? { code: error.message }));
  await new Promise<void>((resolve, reject) => {
    rt.socket.once('open', () => resolve());
    rt.socket.once('error', reject);
  });
  const until = async <T>(check: () => T | undefined, what: string, ms = 60_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = check();
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${events.map((e) => e.type)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { rt, events, errors, until, of: (type: string) => events.filter((e) => e.type === type) };
}

async function stream(rt: OpenAIRealtimeWS, pcm: Buffer, speed: number) {
  const block = 2400 * 2;
  const started = performance.now();
  for (let at = 0, n = 1; at < pcm.length; at += block, n++) {
    rt.send({ type: 'input_audio_buffer.append', audio: pcm.subarray(at, at + block).toString('base64') });
    const wait = started + (n * 100) / speed - performance.now();
    if (Number.isFinite(speed) && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

describe('openai SDK realtime client (openai/realtime/ws) over wss:', () => {
  it('connects to wss://…/v1/realtime?intent=transcription with the API key and transcribes speech streamed in real time', async () => {
    const { rt, events, until, of, errors } = await connect();
    expect(rt.url.toString()).toBe(`wss://127.0.0.1:${front.port}/v1/realtime?intent=transcription`);
    await until(() => of('session.created')[0], 'session.created');
    rt.send({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24_000 },
            transcription: { model: 'whisper-1', language: 'en' },
            turn_detection: {
              type: 'server_vad',
              threshold: 0.5,
              prefix_padding_ms: 300,
              silence_duration_ms: 500,
            },
          },
        },
      },
    });
    await until(() => of('session.updated')[0], 'session.updated');
    const deltas: string[] = [];
    rt.on('conversation.item.input_audio_transcription.delta', (event) => deltas.push(event.delta ?? ''));
    const done = new Promise<{ item_id: string; transcript: string; usage: unknown }>((resolve) =>
      rt.on('conversation.item.input_audio_transcription.completed', resolve),
    );
    await stream(rt, speech, 1);
    const completed = await done;
    expect(completed.transcript.length).toBeGreaterThan(0);
    expect(completed.usage).toMatchObject({ type: 'duration' });
    expect(deltas.length).toBeGreaterThan(0);
    const started = of('input_audio_buffer.speech_started')[0]!;
    expect(started.item_id).toBe(completed.item_id);
    expect(of('input_audio_buffer.committed')[0]).toMatchObject({
      item_id: completed.item_id,
      previous_item_id: null,
    });
    expect(errors).toEqual([]);
    expect(events.every((e) => typeof (e as { event_id?: unknown }).event_id === 'string')).toBe(true);
    rt.close();
  });

  it('streams faster than real time with manual commits, and surfaces bad events through the SDK’s error listener', async () => {
    const { rt, until, of, errors } = await connect();
    await until(() => of('session.created')[0], 'session.created');
    rt.send({
      type: 'session.update',
      session: { type: 'transcription', audio: { input: { turn_detection: null } } },
    });
    await until(() => of('session.updated')[0], 'session.updated');
    rt.send({ type: 'response.create', event_id: 'evt_bad' } as never);
    await until(() => errors[0], 'an error');
    expect(errors[0]).toMatchObject({ code: 'invalid_value', event_id: 'evt_bad' });
    await stream(rt, speech, Number.POSITIVE_INFINITY);
    rt.send({ type: 'input_audio_buffer.commit' });
    const completed = await until(
      () => of('conversation.item.input_audio_transcription.completed')[0],
      'completed',
    );
    expect((completed.transcript as string).length).toBeGreaterThan(0);
    expect(of('input_audio_buffer.speech_started')).toHaveLength(0);
    rt.close();
  });

  it('mints a client secret with client.realtime.clientSecrets.create and opens a session with it', async () => {
    const secret = await client.realtime.clientSecrets.create({
      expires_after: { anchor: 'created_at', seconds: 60 },
      session: {
        type: 'transcription',
        audio: { input: { transcription: { language: 'en' }, turn_detection: null } },
      },
    });
    expect(secret.value).toMatch(/^ek_/);
    expect(secret.session).toMatchObject({ type: 'transcription' });
    const browserLike = new OpenAI({ apiKey: secret.value, baseURL: `${front.origin}/v1`, maxRetries: 0 });
    const { rt, until, of } = await connect(browserLike);
    const created = await until(() => of('session.created')[0], 'session.created');
    expect(created.session).toMatchObject({
      audio: { input: { transcription: { language: 'en' }, turn_detection: null } },
    });
    await stream(rt, speech.subarray(0, 24_000 * 2 * 3), Number.POSITIVE_INFINITY);
    rt.send({ type: 'input_audio_buffer.commit' });
    await until(() => of('conversation.item.input_audio_transcription.completed')[0], 'completed');
    rt.close();
  });
});
