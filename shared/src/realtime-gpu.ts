import { z } from 'zod';

/**
 * The edge ↔ GPU service live-transcription protocol, over one WebSocket per session at
 * `GET /internal/realtime` (signed like every /internal call). The edge sends JSON control messages
 * and binary frames of audio: 16 kHz mono PCM16, little-endian. The GPU service answers with JSON
 * events that name utterances by number (0, 1, … on this connection) and audio times in milliseconds
 * of the audio this connection received; the edge maps both onto the client's session.
 */
export const REALTIME_PATH = '/internal/realtime';
export const REALTIME_SAMPLE_RATE = 16_000;

/** A GPU service that sends nothing for this long (it sends `heartbeat` every few seconds) is gone. */
export const REALTIME_HEARTBEAT_MS = 5_000;

export const gpuTurnDetectionSchema = z.object({
  threshold: z.number().gt(0).lte(1),
  prefix_padding_ms: z.number().int().min(0).max(5_000),
  silence_duration_ms: z.number().int().min(0).max(10_000),
});
export type GpuTurnDetection = z.infer<typeof gpuTurnDetectionSchema>;

export const gpuRealtimeClientMessageSchema = z.discriminatedUnion('type', [
  /** First message, and again whenever the session changes; applies to utterances not yet started. */
  z.object({
    type: z.literal('configure'),
    model: z.string().max(256).optional(),
    language: z.string().max(32).optional(),
    prompt: z.string().max(4_000).optional(),
    /** null: no VAD events; utterances end where the edge sends `commit`. */
    turn_detection: gpuTurnDetectionSchema.nullable(),
  }),
  /** Ends the audio buffered so far as one utterance (any mode). `ref` comes back on an error. */
  z.object({ type: z.literal('commit'), ref: z.string().max(128).optional() }),
  /** Drops the audio buffered since the last utterance ended. */
  z.object({ type: z.literal('clear'), ref: z.string().max(128).optional() }),
]);
export type GpuRealtimeClientMessage = z.infer<typeof gpuRealtimeClientMessageSchema>;

const errorBody = z.object({
  message: z.string(),
  type: z.string(),
  code: z.string().nullable(),
  param: z.string().nullable(),
});

export const gpuRealtimeEventSchema = z.discriminatedUnion('type', [
  /** The configuration took effect (the model is loaded); `language` is fixed once known. */
  z.object({ type: z.literal('configured'), model: z.string(), language: z.string().nullable() }),
  z.object({ type: z.literal('heartbeat') }),
  z.object({
    type: z.literal('speech_started'),
    utterance: z.number().int().nonnegative(),
    audio_start_ms: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('speech_stopped'),
    utterance: z.number().int().nonnegative(),
    audio_end_ms: z.number().int().nonnegative(),
  }),
  /** The utterance's audio is final: [audio_start_ms, audio_end_ms) of this connection's audio. */
  z.object({
    type: z.literal('committed'),
    utterance: z.number().int().nonnegative(),
    audio_start_ms: z.number().int().nonnegative(),
    audio_end_ms: z.number().int().nonnegative(),
  }),
  /** Text agreed on by successive partial decodes; later deltas only ever append to it. */
  z.object({ type: z.literal('delta'), utterance: z.number().int().nonnegative(), delta: z.string() }),
  /** The utterance's own full decode (it may differ from the deltas joined). */
  z.object({
    type: z.literal('completed'),
    utterance: z.number().int().nonnegative(),
    transcript: z.string(),
    language: z.string(),
    audio_seconds: z.number().nonnegative(),
  }),
  z.object({ type: z.literal('failed'), utterance: z.number().int().nonnegative(), error: errorBody }),
  z.object({ type: z.literal('cleared'), ref: z.string().optional() }),
  /** A refused message (`ref` names it) or a session-wide failure. */
  z.object({ type: z.literal('error'), ref: z.string().optional(), error: errorBody }),
]);
export type GpuRealtimeEvent = z.infer<typeof gpuRealtimeEventSchema>;
