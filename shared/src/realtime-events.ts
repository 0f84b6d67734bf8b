import { z } from 'zod';

/**
 * The subset of OpenAI's Realtime API a transcription session speaks (`GET /v1/realtime?intent=
 * transcription`), as the `openai` SDK types it (resources/realtime/realtime.d.ts). Client events are
 * checked strictly, as OpenAI does: an unknown parameter is an error event, not silently dropped.
 */

/** Audio arrives as PCM16 mono at 24 kHz (OpenAI's one rate) or, our extension, 16 kHz. */
export const realtimeAudioRates = [24_000, 16_000] as const;
export type RealtimeAudioRate = (typeof realtimeAudioRates)[number];

const serverVad = z.strictObject({
  type: z.literal('server_vad'),
  threshold: z.number().gt(0).lte(1).optional(),
  prefix_padding_ms: z.number().int().min(0).max(5_000).optional(),
  silence_duration_ms: z.number().int().min(0).max(10_000).optional(),
  // Accepted for compatibility; a transcription session creates no responses.
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
  idle_timeout_ms: z.number().int().nullable().optional(),
});

export const realtimeTranscriptionConfigSchema = z.strictObject({
  type: z.literal('transcription'),
  audio: z
    .strictObject({
      input: z
        .strictObject({
          format: z
            .strictObject({
              type: z.literal('audio/pcm'),
              rate: z.union([z.literal(24_000), z.literal(16_000)]).optional(),
            })
            .optional(),
          transcription: z
            .strictObject({
              model: z.string().max(256).optional(),
              language: z.string().max(32).optional(),
              prompt: z.string().max(4_000).optional(),
            })
            .optional(),
          turn_detection: serverVad.nullable().optional(),
          // Accepted and reported as null: this service does no noise reduction.
          noise_reduction: z
            .strictObject({
              type: z.enum(['near_field', 'far_field']).optional(),
              strength: z.number().optional(),
            })
            .nullable()
            .optional(),
        })
        .optional(),
    })
    .optional(),
  include: z.array(z.literal('item.input_audio_transcription.logprobs')).optional(),
  /** Our extension: the session's audio (WAV) and transcript are written to R2 when it closes. */
  stored_output: z.boolean().optional(),
});
export type RealtimeTranscriptionConfig = z.infer<typeof realtimeTranscriptionConfigSchema>;

const eventId = z.string().max(128).optional();

/** 15 MiB of base64 per append, OpenAI's limit. */
export const MAX_APPEND_BASE64 = 15 * 1024 * 1024;

export const realtimeClientEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('session.update'), event_id: eventId, session: z.unknown() }),
  z.strictObject({
    type: z.literal('input_audio_buffer.append'),
    event_id: eventId,
    audio: z
      .string()
      .max(MAX_APPEND_BASE64, 'audio exceeds 15 MiB of base64')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'audio must be base64'),
  }),
  z.strictObject({ type: z.literal('input_audio_buffer.commit'), event_id: eventId }),
  z.strictObject({ type: z.literal('input_audio_buffer.clear'), event_id: eventId }),
  /** Borrowed from OpenAI's translation sessions: finish pending transcripts, then close. */
  z.strictObject({ type: z.literal('session.close'), event_id: eventId }),
]);
export type RealtimeClientEvent = z.infer<typeof realtimeClientEventSchema>;

/** The effective session, as `session.created` / `session.updated` report it. */
export interface RealtimeTranscriptionSession {
  type: 'transcription';
  id: string;
  object: 'realtime.transcription_session';
  expires_at: number;
  include: string[];
  audio: {
    input: {
      format: { type: 'audio/pcm'; rate: RealtimeAudioRate };
      noise_reduction: null;
      transcription: { model: string; language: string | null; prompt: string };
      turn_detection: {
        type: 'server_vad';
        threshold: number;
        prefix_padding_ms: number;
        silence_duration_ms: number;
      } | null;
    };
  };
  stored_output: boolean;
}

export interface RealtimeErrorBody {
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  /** The client event that caused it. */
  event_id: string | null;
}

/** Where `stored_output` put the session's audio and transcript. */
export interface RealtimeStoredOutput {
  audio: { key: string; storage_url: string; content_type: string; bytes: number };
  transcript: { key: string; storage_url: string; content_type: string };
}

type Base<T extends string> = { type: T; event_id: string };
export type RealtimeServerEvent =
  | (Base<'session.created'> & { session: RealtimeTranscriptionSession })
  | (Base<'session.updated'> & { session: RealtimeTranscriptionSession })
  | (Base<'input_audio_buffer.speech_started'> & { audio_start_ms: number; item_id: string })
  | (Base<'input_audio_buffer.speech_stopped'> & { audio_end_ms: number; item_id: string })
  | (Base<'input_audio_buffer.committed'> & { item_id: string; previous_item_id: string | null })
  | Base<'input_audio_buffer.cleared'>
  | (Base<'conversation.item.input_audio_transcription.delta'> & {
      item_id: string;
      content_index: 0;
      delta: string;
    })
  | (Base<'conversation.item.input_audio_transcription.completed'> & {
      item_id: string;
      content_index: 0;
      transcript: string;
      usage: { type: 'duration'; seconds: number };
    })
  | (Base<'conversation.item.input_audio_transcription.failed'> & {
      item_id: string;
      content_index: 0;
      error: Omit<RealtimeErrorBody, 'event_id'>;
    })
  | (Base<'session.closed'> & { stored_output?: RealtimeStoredOutput })
  | (Base<'error'> & { error: RealtimeErrorBody });
