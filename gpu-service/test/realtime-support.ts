import type { GpuRealtimeEvent } from '@whisper-edge/shared';
import { toPcm16 } from '@whisper-edge/shared/pcm16';
import { diarizerFactory } from '../src/diarization/create-diarizer.js';
import type { LoadedModel } from '../src/models/model-manager.js';
import { RealtimeSession } from '../src/realtime/realtime-session.js';
import type { RealtimeSessionDeps } from '../src/realtime/session-options.js';
import { Transcriber } from '../src/transcription/transcribe.js';
import { loadSileroVad } from '../src/vad/silero-model.js';

const SR = 16_000;

/** `seconds` of quiet, then the clip, then `after` seconds of quiet. */
export function padded(clip: Float32Array, before: number, after: number): Float32Array {
  const pcm = new Float32Array(clip.length + Math.round((before + after) * SR));
  pcm.set(clip, Math.round(before * SR));
  return pcm;
}

export interface TimedEvent {
  event: GpuRealtimeEvent;
  /** Audio fed (seconds) when it was emitted, and the wall-clock time (performance.now()). */
  fedSeconds: number;
  at: number;
}

/** A RealtimeSession on a generated model, the real engine and the real Silero VAD. */
export function liveSession(model: LoadedModel, overrides: Partial<RealtimeSessionDeps> = {}) {
  const transcriber = new Transcriber({ diarizers: diarizerFactory() });
  const events: TimedEvent[] = [];
  let fed = 0;
  const session = new RealtimeSession({
    model: async () => model,
    engineFor: (m) => transcriber.engineFor(m),
    vad: loadSileroVad,
    emit: (event) => events.push({ event, fedSeconds: fed / SR, at: performance.now() }),
    ...overrides,
  });
  return {
    session,
    events,
    transcriber,
    of: <T extends GpuRealtimeEvent['type']>(type: T) =>
      events.map((e) => e.event).filter((e): e is Extract<GpuRealtimeEvent, { type: T }> => e.type === type),
    /** Sends `pcm` in blocks of `blockSeconds`, paced at `speed` × real time (Infinity: at once). */
    async stream(pcm: Float32Array, { blockSeconds = 0.1, speed = Number.POSITIVE_INFINITY } = {}) {
      const block = Math.round(blockSeconds * SR);
      const started = performance.now();
      for (let at = 0; at < pcm.length; at += block) {
        const chunk = pcm.subarray(at, at + block);
        fed += chunk.length;
        await session.audio(toPcm16(chunk));
        if (Number.isFinite(speed)) {
          const due = started + ((fed / SR) * 1000) / speed;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    },
  };
}
