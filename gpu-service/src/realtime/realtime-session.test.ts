import type { GpuRealtimeEvent } from '@whisper-edge/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { liveSession, padded } from '../../test/realtime-support.js';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import type { LoadedModel } from '../models/model-manager.js';
import { detectSpeech } from '../vad/silero-vad.js';
import { LiveEngine } from './live-engine.js';

/**
 * Live sessions on the generated model (random weights: the words are gibberish but deterministic),
 * the real engine and real Silero VAD, fed the speech fixture: protocol, timing, agreement.
 */
const SR = 16_000;
const VAD = { threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 };

let model: LoadedModel;
let speech: Float32Array;
let pcm: Float32Array;

beforeAll(async () => {
  model = await loadTestModel();
  speech = await speechSamples();
  pcm = padded(speech, 1.5, 2);
});

const byUtterance = (events: GpuRealtimeEvent[], n: number) =>
  events.filter((e) => 'utterance' in e && e.utterance === n).map((e) => e.type);

describe('RealtimeSession with server VAD', () => {
  it('announces each turn, shows partials while it is open, then commits and completes it', async () => {
    const live = liveSession(model);
    await live.session.message({ type: 'configure', language: 'en', turn_detection: VAD });
    await live.stream(pcm, { speed: 4 });
    await live.session.settled();
    const events = live.events.map((e) => e.event);
    expect(events[0]).toMatchObject({ type: 'configured', language: 'en' });

    const turns = await detectSpeech(pcm, { minSilenceDurationMs: 500, speechPadMs: 0 });
    const started = live.of('speech_started');
    expect(started.length).toBe(turns.length);
    // Prefix padding reaches 300 ms before the speech VAD found.
    expect(Math.abs(started[0]!.audio_start_ms - (turns[0]!.start / SR) * 1000 + 300)).toBeLessThan(120);
    for (const [n] of started.entries()) {
      const order = byUtterance(events, n).filter((t) => t !== 'delta');
      expect(order).toEqual(['speech_started', 'speech_stopped', 'committed', 'completed']);
      // Partials belong to the open turn: after it started, before it was committed.
      const kinds = byUtterance(events, n);
      const lastDelta = kinds.lastIndexOf('delta');
      if (lastDelta >= 0) expect(lastDelta).toBeLessThan(kinds.indexOf('committed'));
    }
    // speech_stopped comes once the closing silence has lasted silence_duration_ms.
    const stopped = live.of('speech_stopped').at(-1)!;
    expect(stopped.audio_end_ms - (turns.at(-1)!.end / SR) * 1000).toBeGreaterThanOrEqual(480);
    expect(stopped.audio_end_ms - (turns.at(-1)!.end / SR) * 1000).toBeLessThan(700);
    expect(live.of('delta').length).toBeGreaterThan(0);
  });

  it('decodes the open turn again for each half second of new speech, and its final text is one full decode of the committed audio', async () => {
    const decodes: Array<{ utterance: number; samples: number; fed: number }> = [];
    const live = liveSession(model, {
      onPartialDecode: (d) => decodes.push({ ...d, fed: live.session.received }),
    });
    await live.session.message({ type: 'configure', language: 'en', turn_detection: VAD });
    // Real time: each step of audio arrives as it would from a microphone.
    await live.stream(pcm, { speed: 1 });
    await live.session.settled();
    const committed = live.of('committed')[0]!;
    const completed = live.of('completed')[0]!;
    const turn = decodes.filter((d) => d.utterance === 0);
    const turnSeconds = (committed.audio_end_ms - committed.audio_start_ms) / 1000;
    // One decode per step of new audio, never sooner; a slow decode (a loaded CPU) covers more the next time.
    for (let i = 1; i < turn.length; i++)
      expect(turn[i]!.samples - turn[i - 1]!.samples).toBeGreaterThanOrEqual(SR / 2);
    expect(turn.length).toBeGreaterThanOrEqual(3);
    expect(turn[0]!.samples).toBeLessThan(SR);
    expect(turn.at(-1)!.samples / SR).toBeGreaterThan(turnSeconds - 2);
    // Text shown while the turn was open, before it was committed.
    const deltas = live.events.filter((e) => e.event.type === 'delta');
    expect(deltas.length).toBeGreaterThan(0);
    const committedAt = live.events.find((e) => e.event.type === 'committed')!.fedSeconds;
    expect(deltas[0]!.fedSeconds).toBeLessThan(committedAt);

    // The completed text is what a full decode of exactly the committed audio says (deterministic).
    const engine = new LiveEngine(model, await live.transcriber.engineFor(model));
    const audio = pcm.subarray((committed.audio_start_ms * SR) / 1000, (committed.audio_end_ms * SR) / 1000);
    expect(completed.transcript).toBe(await engine.final(audio, { language: 'en' }));
    expect(completed.audio_seconds).toBeCloseTo(audio.length / SR, 1);
  });

  it('gives the same turns and final text however fast the audio comes', async () => {
    const run = async (speed: number) => {
      const live = liveSession(model);
      await live.session.message({ type: 'configure', language: 'en', turn_detection: VAD });
      await live.stream(pcm, { speed, blockSeconds: 0.25 });
      await live.session.settled();
      return { committed: live.of('committed'), completed: live.of('completed').map((c) => c.transcript) };
    };
    const slow = await run(8);
    const fast = await run(Number.POSITIVE_INFINITY);
    expect(fast).toEqual(slow);
  });
});

describe('RealtimeSession with manual commits (turn_detection: null)', () => {
  it('sends no VAD events, commits where told, shows partials while speech is buffered', async () => {
    const live = liveSession(model);
    await live.session.message({ type: 'configure', language: 'en', turn_detection: null });
    // Real time while speech is buffered, so partial decodes have time to agree (a loaded CPU is slow).
    await live.stream(pcm.subarray(0, Math.round(4.5 * SR)), { speed: 1 });
    await live.session.message({ type: 'commit', ref: 'evt_1' });
    await live.stream(pcm.subarray(Math.round(4.5 * SR)), { speed: 8 });
    await live.session.message({ type: 'commit', ref: 'evt_2' });
    await live.session.settled();
    const types = live.events.map((e) => e.event.type);
    expect(types).not.toContain('speech_started');
    expect(types).not.toContain('speech_stopped');
    expect(live.of('committed')).toEqual([
      { type: 'committed', utterance: 0, audio_start_ms: 0, audio_end_ms: 4500 },
      {
        type: 'committed',
        utterance: 1,
        audio_start_ms: 4500,
        audio_end_ms: Math.round((pcm.length / SR) * 1000),
      },
    ]);
    expect(live.of('completed').map((c) => c.utterance)).toEqual([0, 1]);
    expect(live.of('delta').filter((d) => d.utterance === 0).length).toBeGreaterThan(0);
  });

  it('refuses to commit less than 100 ms, naming the event, and keeps the session going', async () => {
    const live = liveSession(model);
    await live.session.message({ type: 'configure', language: 'en', turn_detection: null });
    await live.stream(pcm.subarray(0, 800));
    await live.session.message({ type: 'commit', ref: 'evt_short' });
    expect(live.of('error')).toEqual([
      expect.objectContaining({
        ref: 'evt_short',
        error: expect.objectContaining({
          code: 'input_audio_buffer_commit_empty',
          type: 'invalid_request_error',
        }),
      }),
    ]);
    await live.stream(pcm.subarray(800, 16_000));
    await live.session.message({ type: 'commit' });
    await live.session.settled();
    expect(live.of('committed')).toEqual([
      { type: 'committed', utterance: 0, audio_start_ms: 0, audio_end_ms: 1000 },
    ]);
  });

  it('clear drops the buffer: the next commit covers only audio after it', async () => {
    const live = liveSession(model);
    await live.session.message({ type: 'configure', language: 'en', turn_detection: null });
    await live.stream(pcm.subarray(0, 2 * SR));
    await live.session.message({ type: 'clear', ref: 'evt_c' });
    await live.stream(pcm.subarray(2 * SR, 3 * SR));
    await live.session.message({ type: 'commit' });
    await live.session.settled();
    expect(live.of('cleared')).toEqual([{ type: 'cleared', ref: 'evt_c' }]);
    expect(live.of('committed')[0]).toMatchObject({ audio_start_ms: 2000, audio_end_ms: 3000 });
  });

  it('refuses audio before configure and a language an English-only model lacks', async () => {
    const live = liveSession(model);
    await live.stream(pcm.subarray(0, 1600));
    expect(live.of('error')[0]!.error.code).toBe('not_configured');
    const english = await loadTestModel((await import('../../test/fixtures.js')).testModelEnDir);
    const en = liveSession(english);
    await en.session.message({ type: 'configure', language: 'de', turn_detection: null });
    expect(en.of('error')[0]!.error.code).toBe('unsupported_language');
    expect(en.of('configured')).toEqual([]);
  });
});
