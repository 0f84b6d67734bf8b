import { speechFlac } from '@whisper-edge/gpu-service/testing/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuProcessesOn } from './test-support/processes.js';
import { openRealtime, pcmOf, type ServerEvent } from './test-support/realtime-client.js';
import { type RunningStack, startStack } from './test-support/stack.js';

/**
 * Live transcription on the real stack: wrangler dev (the Worker and its Durable Objects) and two real
 * GPU service processes on the generated model (random weights: gibberish, but deterministic), spoken
 * to by a plain `ws` client over ws: with OpenAI's Realtime transcription events.
 */
const KEY = 'sk-realtime-e2e-0123456789';
let stack: RunningStack;
let wsUrl: string;
let speech24: Buffer;
const auth = { authorization: `Bearer ${KEY}` };

beforeAll(async () => {
  stack = await startStack(['--test-model', '--gpus', '2', '--api-keys', `e2e:${KEY}`]);
  wsUrl = `${stack.edge.replace('http', 'ws')}/v1/realtime?intent=transcription`;
  // The fixture at OpenAI's rate, a second of quiet before it and two after (so VAD closes the turn).
  speech24 = pcmOf(speechFlac, 24_000, 1, 2);
}, 300_000);

afterAll(async () => {
  await stack?.stop('SIGKILL');
});

const kinds = (events: ServerEvent[], id: string) =>
  events
    .filter((e) => e.item_id === id && e.type !== 'conversation.item.input_audio_transcription.delta')
    .map((e) => e.type);

async function liveSessions(port: number): Promise<number> {
  try {
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
      realtime?: { sessions: number };
    };
    return health.realtime?.sessions ?? 0;
  } catch {
    return -1;
  }
}

describe('realtime transcription over ws: (plain ws client)', () => {
  let realTime: { transcript: string; committed: ServerEvent };

  it('streams the speech file in real time: VAD turns, partials while speaking, the final text once it stops', async () => {
    const client = await openRealtime(wsUrl, { headers: auth });
    await client.next('session.created');
    const { sentAt } = await client.stream(speech24, 24_000, { speed: 1 });
    const completed = await client.next('conversation.item.input_audio_transcription.completed');
    const id = completed.item_id!;
    expect(kinds(client.events, id)).toEqual([
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.input_audio_transcription.completed',
    ]);
    const started = client.of('input_audio_buffer.speech_started')[0]!;
    // The fixture's speech begins ≈ 1 s in; the turn (with 300 ms of prefix padding) just before.
    expect(started.audio_start_ms).toBeGreaterThan(500);
    expect(started.audio_start_ms).toBeLessThan(1300);
    const deltas = client.of('conversation.item.input_audio_transcription.delta');
    expect(deltas.length).toBeGreaterThan(0);
    // Partials came while the person was still speaking, before the turn was committed.
    const committed = client.of('input_audio_buffer.committed')[0]!;
    expect(deltas[0]!.at).toBeLessThan(committed.at);
    expect(deltas[0]!.at).toBeLessThan(sentAt.at(-1)!);
    // Delivered soon after the speech stopped (the final decode on this CPU).
    const stopped = client.of('input_audio_buffer.speech_stopped')[0]!;
    expect(completed.at - stopped.at).toBeLessThan(10_000);
    expect(typeof completed.transcript).toBe('string');
    expect((completed.transcript as string).length).toBeGreaterThan(0);
    expect(completed.usage).toMatchObject({ type: 'duration', seconds: expect.any(Number) });
    realTime = { transcript: completed.transcript as string, committed };
    client.close();
  });

  it('faster than real time gives the same turn and the same final text', async () => {
    const client = await openRealtime(wsUrl, { headers: auth });
    await client.next('session.created');
    await client.stream(speech24, 24_000, { speed: Number.POSITIVE_INFINITY, blockMs: 200 });
    const completed = await client.next('conversation.item.input_audio_transcription.completed');
    expect(client.of('input_audio_buffer.speech_started')).toHaveLength(1);
    expect(completed.transcript).toBe(realTime.transcript);
    client.close();
  });

  it('manual commits at 16 kHz: no VAD events, one item per commit, an empty commit refused by event_id', async () => {
    const client = await openRealtime(wsUrl, { headers: auth });
    await client.next('session.created');
    client.send({
      type: 'session.update',
      event_id: 'up',
      session: {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 16_000 },
            turn_detection: null,
            transcription: { language: 'en' },
          },
        },
      },
    });
    const updated = await client.next('session.updated');
    expect(updated.session).toMatchObject({
      audio: { input: { turn_detection: null, format: { rate: 16_000 } } },
    });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'empty' });
    expect((await client.next('error')).error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      event_id: 'empty',
    });
    const speech16 = pcmOf(speechFlac, 16_000);
    const half = Math.floor(speech16.length / 4) * 2;
    await client.stream(speech16.subarray(0, half), 16_000, { speed: 4 });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'one' });
    await client.stream(speech16.subarray(half), 16_000, { speed: 4 });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'two' });
    await client.until(
      () => client.of('conversation.item.input_audio_transcription.completed').length === 2,
      'two items',
    );
    const committed = client.of('input_audio_buffer.committed');
    expect(committed).toHaveLength(2);
    expect(committed[1]!.previous_item_id).toBe(committed[0]!.item_id);
    expect(client.of('input_audio_buffer.speech_started')).toHaveLength(0);
    expect(client.of('conversation.item.input_audio_transcription.completed').map((c) => c.item_id)).toEqual(
      committed.map((c) => c.item_id),
    );
    client.close();
  });

  it('answers bad events with error events and keeps the session', async () => {
    const client = await openRealtime(wsUrl, { headers: auth });
    await client.next('session.created');
    client.socket.send('{"type":');
    client.send({ type: 'response.create', event_id: 'r' });
    client.send({ type: 'input_audio_buffer.append', audio: 'not base64!', event_id: 'a' });
    client.send({
      type: 'session.update',
      event_id: 's',
      session: { type: 'transcription', modalities: ['text'] },
    });
    await client.until(() => client.of('error').length === 4, 'four errors');
    expect(client.of('error').map((e) => (e.error as { code: string }).code)).toEqual([
      'invalid_json',
      'invalid_value',
      'invalid_value',
      'unknown_parameter',
    ]);
    expect(client.closed()).toBeNull();
    client.send({ type: 'input_audio_buffer.clear', event_id: 'c' });
    await client.next('input_audio_buffer.cleared');
    client.close();
  });

  it('refuses a wrong key with a reason; a client secret minted with the key opens a session (browser subprotocol)', async () => {
    const refused = await openRealtime(wsUrl, {
      headers: { authorization: 'Bearer sk-wrong-0123456789abcdef' },
    });
    await refused.until(() => refused.closed(), 'close');
    expect(refused.closed()!.code).toBe(1008);
    expect(refused.events[0]).toMatchObject({ type: 'error', error: { code: 'invalid_api_key' } });

    const minted = await fetch(`${stack.edge}/v1/realtime/client_secrets`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        session: { type: 'transcription', audio: { input: { turn_detection: null } } },
      }),
    });
    expect(minted.status).toBe(200);
    const { value } = (await minted.json()) as { value: string };
    const browser = await openRealtime(wsUrl, {
      protocols: ['realtime', `openai-insecure-api-key.${value}`],
    });
    expect(browser.socket.protocol).toBe('realtime');
    const created = await browser.next('session.created');
    expect(created.session).toMatchObject({ audio: { input: { turn_detection: null } } });
    await browser.stream(speech24.subarray(48_000, 48_000 + 24_000 * 2 * 2), 24_000, {
      speed: Number.POSITIVE_INFINITY,
    });
    browser.send({ type: 'input_audio_buffer.commit' });
    await browser.next('conversation.item.input_audio_transcription.completed');
    browser.close();
  });

  it('survives the GPU service being killed mid-utterance: another takes over, the item completes once', async () => {
    const client = await openRealtime(wsUrl, { headers: auth });
    await client.next('session.created');
    const ports = [stack.gpuPort, stack.gpuPort + 1];
    let killed: number | null = null;
    await client.stream(speech24, 24_000, {
      speed: 2,
      onBlock: async () => {
        if (killed !== null || client.of('conversation.item.input_audio_transcription.delta').length === 0)
          return;
        // Speech has started and text is showing: the service holding the session dies (SIGKILL).
        for (const port of ports) {
          if ((await liveSessions(port)) > 0) {
            killed = port;
            for (const pid of gpuProcessesOn(stack.process.pid!, port)) process.kill(pid, 'SIGKILL');
            return;
          }
        }
      },
    });
    expect(killed).not.toBeNull();
    const completed = await client.until(
      () =>
        client.events.find(
          (e) => e.type === 'conversation.item.input_audio_transcription.completed' || e.type === 'error',
        ),
      'completed',
    );
    expect(completed.type, JSON.stringify(completed)).toBe(
      'conversation.item.input_audio_transcription.completed',
    );
    expect(client.of('input_audio_buffer.speech_started')).toHaveLength(1);
    expect(client.of('conversation.item.input_audio_transcription.completed')).toHaveLength(1);
    const ids = new Set(client.events.filter((e) => e.item_id).map((e) => e.item_id));
    expect([...ids]).toEqual([completed.item_id]);
    expect((completed.transcript as string).length).toBeGreaterThan(0);
    expect(client.closed()).toBeNull();
    const survivor = ports.find((p) => p !== killed)!;
    expect(await liveSessions(survivor)).toBe(1);
    client.close();
  });
});
