import {
  ApiError,
  type GpuRealtimeClientMessage,
  type GpuRealtimeEvent,
  type GpuTurnDetection,
} from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import type { LoadedModel } from '../models/model-manager.js';
import type { ModelEngine } from '../transcription/model-engine.js';
import type { SileroVadModel } from '../vad/silero-model.js';
import type { PartialOptions } from './partial-transcript.js';

export interface RealtimeSessionDeps {
  /** The loaded model a `configure` names (a 400 ApiError for a name the service does not run). */
  model: (name: string | undefined) => Promise<LoadedModel>;
  engineFor: (model: LoadedModel) => Promise<ModelEngine>;
  vad: () => Promise<SileroVadModel>;
  emit: (event: GpuRealtimeEvent) => void;
  partial?: Partial<PartialOptions>;
  /** A VAD turn longer than this is cut there and goes on as a new utterance (28 s: one window). */
  maxTurnSamples?: number;
  /** Temperatures of final decodes (REALTIME_TEMPERATURE_FALLBACK=false gives `[0]`). */
  finalTemperatures?: number[];
  /** A manual buffer never committed commits itself at this length (10 min). */
  maxBufferSamples?: number;
  log?: (message: string) => void;
  /** Each partial decode as it finishes (tests and the bench watch the cadence). */
  onPartialDecode?: (decode: { utterance: number; samples: number; tokens: number; ms: number }) => void;
}

/** Audio kept after the closing silence begins (and before speech in manual mode's partials). */
export const TAIL_PAD_SAMPLES = Math.round(0.2 * SAMPLE_RATE);
/** OpenAI refuses to commit less than 100 ms of audio. */
export const MIN_COMMIT_SAMPLES = Math.round(0.1 * SAMPLE_RATE);
/** Audio kept before the present while no turn is open: the prefix padding reaches back into it. */
export const LOOK_BEHIND_SAMPLES = 7 * SAMPLE_RATE;
export const ms = (samples: number) => Math.round((samples * 1000) / SAMPLE_RATE);

export function sameTurns(a: GpuTurnDetection | null, b: GpuTurnDetection | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type Configure = Extract<GpuRealtimeClientMessage, { type: 'configure' }>;

/** VAD settings of a session; manual mode (no turn detection) uses the defaults. */
export function vadSettings(turns: GpuTurnDetection | null | undefined) {
  return { threshold: turns?.threshold ?? 0.5, silenceDurationMs: turns?.silence_duration_ms ?? 500 };
}

export const commitTooSmall = (bufferedMs: number) =>
  new ApiError(
    400,
    `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${bufferedMs}ms of audio.`,
    { code: 'input_audio_buffer_commit_empty' },
  );
