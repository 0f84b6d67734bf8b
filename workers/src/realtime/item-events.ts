import type { RealtimeServerEvent } from '@whisper-edge/shared';

/** What a client event becomes before its event_id is stamped on. */
export type Outgoing = RealtimeServerEvent extends infer E
  ? E extends { event_id: string }
    ? Omit<E, 'event_id'>
    : never
  : never;

type ErrorBody = { message: string; type: string; code: string | null; param: string | null };

/** The client events an item of the session produces, in OpenAI's Realtime transcription shapes. */
export const itemEvents = {
  speechStarted: (itemId: string, audioStartMs: number): Outgoing => ({
    type: 'input_audio_buffer.speech_started',
    audio_start_ms: audioStartMs,
    item_id: itemId,
  }),
  speechStopped: (itemId: string, audioEndMs: number): Outgoing => ({
    type: 'input_audio_buffer.speech_stopped',
    audio_end_ms: audioEndMs,
    item_id: itemId,
  }),
  committed: (itemId: string, previous: string | null): Outgoing => ({
    type: 'input_audio_buffer.committed',
    item_id: itemId,
    previous_item_id: previous,
  }),
  delta: (itemId: string, delta: string): Outgoing => ({
    type: 'conversation.item.input_audio_transcription.delta',
    item_id: itemId,
    content_index: 0,
    delta,
  }),
  completed: (itemId: string, transcript: string, seconds: number): Outgoing => ({
    type: 'conversation.item.input_audio_transcription.completed',
    item_id: itemId,
    content_index: 0,
    transcript,
    usage: { type: 'duration', seconds },
  }),
  failed: (itemId: string, error: ErrorBody): Outgoing => ({
    type: 'conversation.item.input_audio_transcription.failed',
    item_id: itemId,
    content_index: 0,
    error,
  }),
};
