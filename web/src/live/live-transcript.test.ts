import { describe, expect, it } from 'vitest';
import { LiveTranscript } from './live-transcript.js';

describe('LiveTranscript', () => {
  it('grows a partial line with each delta, then replaces it with the final text', () => {
    const live = new LiveTranscript();
    live.apply({ type: 'input_audio_buffer.speech_started', item_id: 'a', audio_start_ms: 1200 });
    live.apply({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'a', delta: 'Hello' });
    const partial = live.apply({
      type: 'conversation.item.input_audio_transcription.delta',
      item_id: 'a',
      delta: ' wor',
    });
    expect(partial).toMatchObject({ text: 'Hello wor', state: 'partial', start: 1.2 });
    live.apply({ type: 'input_audio_buffer.speech_stopped', item_id: 'a', audio_end_ms: 3500 });
    const done = live.apply({
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: 'a',
      transcript: 'Hello world.',
    });
    expect(done).toMatchObject({ text: 'Hello world.', state: 'final', end: 3 });
    // A late delta never touches a finished line.
    live.apply({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'a', delta: 'x' });
    expect(live.lines[0]!.text).toBe('Hello world.');
  });

  it('makes a line for an item first named by its completion (manual commits), and marks failures', () => {
    const live = new LiveTranscript();
    live.apply({
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: 'm',
      transcript: 'One.',
    });
    live.apply({ type: 'input_audio_buffer.speech_started', item_id: 'f', audio_start_ms: 0 });
    live.apply({ type: 'conversation.item.input_audio_transcription.failed', item_id: 'f' });
    expect(live.lines.map((l) => [l.id, l.state])).toEqual([
      ['m', 'final'],
      ['f', 'failed'],
    ]);
    expect(live.apply({ type: 'session.updated' })).toBeUndefined();
  });

  it('becomes a verbose_json transcript of the finished lines, in session seconds', () => {
    const live = new LiveTranscript();
    for (const [id, start, end, text] of [
      ['a', 500, 2600, 'First.'],
      ['b', 3000, 5100, ''],
      ['c', 6000, 8000, 'Third.'],
    ] as const) {
      live.apply({ type: 'input_audio_buffer.speech_started', item_id: id, audio_start_ms: start });
      live.apply({ type: 'input_audio_buffer.speech_stopped', item_id: id, audio_end_ms: end });
      live.apply({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: id,
        transcript: text,
      });
    }
    live.apply({ type: 'input_audio_buffer.speech_started', item_id: 'open', audio_start_ms: 9000 });
    expect(live.toTranscript(9.5, 'en')).toEqual({
      task: 'transcribe',
      language: 'en',
      duration: 9.5,
      text: 'First. Third.',
      segments: [
        { id: 0, start: 0.5, end: 2.1, text: ' First.' },
        { id: 1, start: 6, end: 7.5, text: ' Third.' },
      ],
    });
  });
});
