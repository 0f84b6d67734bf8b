import type { Transcript } from '../transcript/transcript.js';

export type LineState = 'partial' | 'final' | 'failed';

export interface LiveLine {
  id: string;
  /** Seconds of the session's audio. */
  start: number;
  end: number | null;
  /** Agreed partial text while the turn is open; the final transcript once it is done. */
  text: string;
  state: LineState;
}

/** A server event of the session, as far as the transcript cares. */
type ServerEvent = { type: string; item_id?: string } & Record<string, unknown>;

/**
 * The live transcript built from a session's events: a line per item, growing with each delta while
 * the speaker talks (partial), replaced by the item's final text when it completes. Events may name
 * an item before it was announced (manual commits have no speech_started): it gets a line then.
 */
export class LiveTranscript {
  readonly lines: LiveLine[] = [];
  private silenceSeconds = 0.5;

  setSilence(ms: number): void {
    this.silenceSeconds = ms / 1000;
  }

  private line(id: string, at = 0): LiveLine {
    let line = this.lines.find((l) => l.id === id);
    if (!line) {
      line = { id, start: at, end: null, text: '', state: 'partial' };
      this.lines.push(line);
    }
    return line;
  }

  /** Applies one event; returns the line it changed, if any. */
  apply(event: ServerEvent): LiveLine | undefined {
    const id = event.item_id;
    if (!id) return undefined;
    switch (event.type) {
      case 'input_audio_buffer.speech_started':
        return this.line(id, Number(event.audio_start_ms) / 1000);
      case 'input_audio_buffer.speech_stopped': {
        const line = this.line(id);
        // audio_end_ms includes the silence that ended the turn.
        line.end = Math.max(line.start, Number(event.audio_end_ms) / 1000 - this.silenceSeconds);
        return line;
      }
      case 'conversation.item.input_audio_transcription.delta': {
        const line = this.line(id);
        if (line.state === 'partial') line.text += String(event.delta ?? '');
        return line;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const line = this.line(id);
        line.text = String(event.transcript ?? '');
        line.state = 'final';
        return line;
      }
      case 'conversation.item.input_audio_transcription.failed': {
        const line = this.line(id);
        line.state = 'failed';
        return line;
      }
      default:
        return undefined;
    }
  }

  /** The finished lines as a verbose_json transcript: the reader and export take it like any other. */
  toTranscript(durationSeconds: number, language: string): Transcript {
    const finals = this.lines.filter((l) => l.state === 'final' && l.text.trim() !== '');
    return {
      task: 'transcribe',
      language,
      duration: durationSeconds,
      text: finals.map((l) => l.text.trim()).join(' '),
      segments: finals.map((l, id) => ({
        id,
        start: l.start,
        end: Math.min(durationSeconds, l.end ?? durationSeconds),
        text: ` ${l.text.trim()}`,
      })),
    };
  }
}
