import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRealtime, pcmBase64, tone } from '../../test/realtime-client.js';
import { stubRealtimeGpus } from '../../test/realtime-gpu-stub.js';
import app from '../index.js';

/**
 * Live sessions through the real Worker route and Durable Object in workerd. The GPU services are
 * stand-ins (no onnxruntime here) speaking the real internal protocol over WebSocketPairs; the end to
 * end suite runs the real GPU service.
 */
let gpus: ReturnType<typeof stubRealtimeGpus> | undefined;
afterEach(() => gpus?.restore());

const MANUAL = {
  type: 'session.update',
  session: { type: 'transcription', audio: { input: { turn_detection: null } } },
};

describe('GET /v1/realtime?intent=transcription', () => {
  it('opens with session.created in OpenAI’s shape and the defaults (24 kHz PCM, server VAD)', async () => {
    gpus = stubRealtimeGpus();
    const client = await connectRealtime();
    const created = await client.next('session.created');
    expect(created).toMatchObject({
      event_id: expect.stringMatching(/^event_/),
      session: {
        type: 'transcription',
        object: 'realtime.transcription_session',
        id: expect.stringMatching(/^sess_/),
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24_000 },
            transcription: { model: 'whisper-1', language: null, prompt: '' },
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
    client.ws.close();
  });

  it('answers a plain GET with 426 and an upgrade without intent with an error event and a 1008 close', async () => {
    const plain = await app.fetch(new Request('http://edge.test/v1/realtime?intent=transcription'), env);
    expect(plain.status).toBe(426);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('upgrade_required');
    const client = await connectRealtime({ path: '/v1/realtime?model=gpt-realtime' });
    const closed = await client.waitClosed();
    expect(closed.code).toBe(1008);
    expect(client.events[0]).toMatchObject({
      type: 'error',
      error: { param: 'intent', type: 'invalid_request_error' },
    });
  });

  it('session.update changes only what it names and answers session.updated; bad ones get error events naming them', async () => {
    gpus = stubRealtimeGpus();
    const client = await connectRealtime();
    await client.next('session.created');
    client.send({
      type: 'session.update',
      event_id: 'evt_up',
      session: {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 16_000 },
            transcription: { language: 'German', prompt: 'Fachbegriffe' },
            turn_detection: { type: 'server_vad', silence_duration_ms: 800 },
          },
        },
      },
    });
    const updated = await client.next('session.updated');
    expect(updated.session).toMatchObject({
      audio: {
        input: {
          format: { rate: 16_000 },
          transcription: { model: 'whisper-1', language: 'de', prompt: 'Fachbegriffe' },
          turn_detection: { threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 800 },
        },
      },
    });
    const bad = [
      [{ type: 'session.update', event_id: 'e1', session: { type: 'realtime' } }, 'unsupported_session_type'],
      [
        { type: 'session.update', event_id: 'e2', session: { type: 'transcription', voice: 'alloy' } },
        'unknown_parameter',
      ],
      [
        {
          type: 'session.update',
          event_id: 'e3',
          session: { type: 'transcription', audio: { input: { turn_detection: { type: 'semantic_vad' } } } },
        },
        'invalid_value',
      ],
      [
        {
          type: 'session.update',
          event_id: 'e4',
          session: { type: 'transcription', audio: { input: { format: { type: 'audio/pcmu' } } } },
        },
        'unsupported_audio_format',
      ],
      [
        {
          type: 'session.update',
          event_id: 'e5',
          session: { type: 'transcription', audio: { input: { transcription: { language: 'klingon' } } } },
        },
        'invalid_value',
      ],
    ] as const;
    for (const [event, code] of bad) {
      const before = client.events.length;
      client.send(event);
      const error = await client.next('error', before);
      expect(error.error, JSON.stringify(event)).toMatchObject({
        code,
        event_id: event.event_id,
        type: 'invalid_request_error',
      });
    }
    expect(client.closed()).toBeNull();
    client.ws.close();
  });

  it('answers malformed events with error events and never drops the socket', async () => {
    gpus = stubRealtimeGpus();
    const client = await connectRealtime();
    await client.next('session.created');
    const cases: Array<[string | ArrayBuffer, string]> = [
      ['{nope', 'invalid_json'],
      [JSON.stringify({ event_id: 'x' }), 'missing_required_parameter'],
      [JSON.stringify({ type: 'response.create', event_id: 'r1' }), 'invalid_value'],
      [JSON.stringify({ type: 'input_audio_buffer.append', audio: '***' }), 'invalid_value'],
      [JSON.stringify({ type: 'input_audio_buffer.commit', extra: 1 }), 'unknown_parameter'],
      [new Uint8Array([1, 2, 3]).buffer, 'invalid_event'],
    ];
    for (const [frame, code] of cases) {
      const before = client.events.length;
      client.ws.send(frame);
      expect((await client.next('error', before)).error, String(frame)).toMatchObject({ code });
    }
    const response = client.events.find(
      (e) => e.type === 'error' && (e.error as { event_id?: string }).event_id === 'r1',
    );
    expect((response!.error as { message: string }).message).toContain('response.create');
    client.send({ ...MANUAL, event_id: 'ok' });
    await client.next('session.updated');
    expect(client.closed()).toBeNull();
    client.ws.close();
  });

  it('resamples 24 kHz audio to 16 kHz for the GPU service (and passes 16 kHz through untouched)', async () => {
    gpus = stubRealtimeGpus();
    const client = await connectRealtime();
    await client.next('session.created');
    client.send(MANUAL);
    const input = tone(440, 24_000, 1);
    for (let at = 0; at < input.length; at += 2400)
      client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(input.subarray(at, at + 2400)) });
    await client.until(
      () => gpus!.sessions[0] && gpus!.sessions[0].samples().length >= 15_950,
      '16 kHz audio',
    );
    const heard = gpus.sessions[0]!.samples();
    expect(gpus.sessions[0]!.signatureOk).toBe(true);
    expect(Math.abs(heard.length - 16_000)).toBeLessThanOrEqual(20);
    // Still a 440 Hz tone: ≈ 880 zero crossings in its second, at the same loudness.
    let crossings = 0;
    for (let i = 1; i < heard.length; i++) if (heard[i - 1]! < 0 !== heard[i]! < 0) crossings++;
    expect(Math.abs(crossings - 880)).toBeLessThanOrEqual(4);
    const peak = Math.max(...heard.subarray(200, 15_000));
    expect(Math.abs(peak - 16_000)).toBeLessThan(400);
    client.send({
      type: 'session.update',
      session: { type: 'transcription', audio: { input: { format: { type: 'audio/pcm', rate: 16_000 } } } },
    });
    await client.next('session.updated', client.events.length);
    const direct = tone(1000, 16_000, 0.25);
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(direct) });
    await client.until(
      () => gpus!.sessions[0]!.samples().length >= heard.length + direct.length,
      'passthrough',
    );
    expect([...gpus.sessions[0]!.samples().subarray(-direct.length)]).toEqual([...direct]);
    client.ws.close();
  });

  it('audio sent before the GPU connection is up reaches it whole, in order (none dropped as look-behind)', async () => {
    gpus = stubRealtimeGpus();
    const client = await connectRealtime();
    await client.next('session.created');
    // Five seconds in one event: all of it is on the edge before any GPU service is.
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(500, 24_000, 5)) });
    await client.until(() => (gpus!.sessions[0]?.receivedMs ?? 0) >= 4990, '5 s on the GPU service', 5000);
    expect(gpus.sessions[0]!.receivedMs).toBeLessThanOrEqual(5000);
    client.ws.close();
  });

  it('manual mode: commits make items in order, each completed with usage; an empty commit is an error naming the event', async () => {
    gpus = stubRealtimeGpus();
    const client = await connectRealtime();
    await client.next('session.created');
    client.send({ type: 'input_audio_buffer.commit', event_id: 'too_early' });
    expect((await client.next('error')).error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      event_id: 'too_early',
    });
    client.send({
      ...MANUAL,
      session: {
        ...MANUAL.session,
        audio: { input: { ...MANUAL.session.audio.input, format: { type: 'audio/pcm', rate: 16_000 } } },
      },
    });
    await client.next('session.updated');
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(300, 16_000, 1.5)) });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'c1' });
    const first = await client.next('input_audio_buffer.committed');
    expect(first).toMatchObject({ item_id: expect.stringMatching(/^item_/), previous_item_id: null });
    const done = await client.next('conversation.item.input_audio_transcription.completed');
    expect(done).toMatchObject({
      item_id: first.item_id,
      content_index: 0,
      transcript: 'heard 1500 ms',
      usage: { type: 'duration', seconds: 1.5 },
    });
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(300, 16_000, 0.05)) });
    const before = client.events.length;
    client.send({ type: 'input_audio_buffer.commit', event_id: 'c_short' });
    expect((await client.next('error', before)).error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      event_id: 'c_short',
    });
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(300, 16_000, 1)) });
    client.send({ type: 'input_audio_buffer.commit' });
    const second = await client.next('input_audio_buffer.committed', before);
    expect(second.previous_item_id).toBe(first.item_id);
    expect(
      (await client.next('conversation.item.input_audio_transcription.completed', before)).transcript,
    ).toBe('heard 1050 ms');
    client.send({ type: 'input_audio_buffer.clear', event_id: 'clr' });
    await client.next('input_audio_buffer.cleared');
    client.ws.close();
  });

  it('server VAD: the service’s turns become items, in session milliseconds, with deltas', async () => {
    gpus = stubRealtimeGpus({
      script: () => [
        {
          atMs: 990,
          emit: [
            { type: 'speech_started', utterance: 0, audio_start_ms: 200 },
            { type: 'delta', utterance: 0, delta: 'Hello' },
            { type: 'delta', utterance: 0, delta: ' there' },
            { type: 'speech_stopped', utterance: 0, audio_end_ms: 1400 },
            { type: 'committed', utterance: 0, audio_start_ms: 200, audio_end_ms: 1100 },
            {
              type: 'completed',
              utterance: 0,
              transcript: 'Hello there.',
              language: 'en',
              audio_seconds: 0.9,
            },
          ],
        },
      ],
    });
    const client = await connectRealtime();
    await client.next('session.created');
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(300, 24_000, 1)) });
    const completed = await client.next('conversation.item.input_audio_transcription.completed');
    expect(gpus.sessions[0]!.messages[0]).toMatchObject({
      type: 'configure',
      turn_detection: { threshold: 0.5 },
    });
    const kinds = client.events.map((e) => e.type);
    expect(kinds.slice(1)).toEqual([
      'input_audio_buffer.speech_started',
      'conversation.item.input_audio_transcription.delta',
      'conversation.item.input_audio_transcription.delta',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.input_audio_transcription.completed',
    ]);
    const ids = new Set(client.events.slice(1).map((e) => e.item_id));
    expect(ids.size).toBe(1);
    expect(client.of('input_audio_buffer.speech_started')[0]).toMatchObject({ audio_start_ms: 200 });
    expect(client.of('conversation.item.input_audio_transcription.delta').map((d) => d.delta)).toEqual([
      'Hello',
      ' there',
    ]);
    expect(completed.transcript).toBe('Hello there.');
    client.ws.close();
  });

  it('moves to another GPU service when one dies mid-utterance: the utterance is replayed, its id kept, nothing repeated', async () => {
    gpus = stubRealtimeGpus({
      script: (n) =>
        n === 0
          ? [
              {
                atMs: 1000,
                emit: [
                  { type: 'speech_started', utterance: 0, audio_start_ms: 500 },
                  { type: 'delta', utterance: 0, delta: 'one two' },
                ],
              },
              { atMs: 1900, die: true },
            ]
          : [
              // The replacement hears the utterance again (its own times, from 0) and says a little more.
              {
                atMs: 1400,
                emit: [
                  { type: 'speech_started', utterance: 0, audio_start_ms: 0 },
                  { type: 'delta', utterance: 0, delta: 'one two three' },
                  { type: 'speech_stopped', utterance: 0, audio_end_ms: 1300 },
                  { type: 'committed', utterance: 0, audio_start_ms: 0, audio_end_ms: 1200 },
                  {
                    type: 'completed',
                    utterance: 0,
                    transcript: 'One two three.',
                    language: 'en',
                    audio_seconds: 1.2,
                  },
                ],
              },
            ],
    });
    const client = await connectRealtime();
    await client.next('session.created');
    const audio = tone(300, 24_000, 2);
    for (let at = 0; at < audio.length; at += 4800)
      client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(audio.subarray(at, at + 4800)) });
    await client.next('conversation.item.input_audio_transcription.completed');
    const [first, second] = gpus.sessions;
    expect(second!.origin).not.toBe(first!.origin);
    expect(second!.messages[0]).toMatchObject({ type: 'configure' });
    // It was sent the audio from the utterance's start (500 ms into the session) on.
    await client.until(() => second!.receivedMs >= 1490, 'the rest of the audio');
    expect(second!.receivedMs).toBeLessThanOrEqual(1510);
    expect(client.of('input_audio_buffer.speech_started')).toHaveLength(1);
    expect(client.of('conversation.item.input_audio_transcription.delta').map((d) => d.delta)).toEqual([
      'one two',
      ' three',
    ]);
    // Session times, not the replacement's.
    expect(client.of('input_audio_buffer.speech_stopped')[0]).toMatchObject({ audio_end_ms: 1800 });
    const ids = new Set(client.events.slice(1).map((e) => e.item_id));
    expect(ids.size).toBe(1);
    expect(client.closed()).toBeNull();
    client.ws.close();
  });

  it('manual mode: a commit still waiting for its text is sent again, at the same cut, to the replacement', async () => {
    gpus = stubRealtimeGpus({
      silent: (n) => n === 0,
      script: (n) => (n === 0 ? [{ atMs: 1500, die: true }] : []),
    });
    const client = await connectRealtime();
    await client.next('session.created');
    client.send(MANUAL);
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(300, 24_000, 1)) });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'c1' });
    // More audio after the commit: the first service dies while it arrives, the commit unanswered.
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(300, 24_000, 1)) });
    const completed = await client.next('conversation.item.input_audio_transcription.completed');
    expect(completed.transcript).toMatch(/^heard (999|1000) ms$/);
    expect(gpus.sessions).toHaveLength(2);
    expect(gpus.sessions[1]!.messages.filter((m) => m.type === 'commit')).toHaveLength(1);
    expect(client.of('input_audio_buffer.committed')).toHaveLength(1);
    client.ws.close();
  });

  it('fails pending items and closes with a reason when no GPU service is left', async () => {
    gpus = stubRealtimeGpus({ dead: ['http://gpu.test', 'http://gpu-b.test'] });
    const client = await connectRealtime();
    await client.next('session.created');
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(tone(300, 24_000, 0.5)) });
    const error = await client.next('error');
    expect(error.error).toMatchObject({ code: 'gpu_unavailable' });
    const closed = await client.waitClosed();
    expect(closed.code).toBe(1011);
  }, 60_000);
});
