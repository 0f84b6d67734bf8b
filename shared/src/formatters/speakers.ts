import type { SpeakerTurn, TranscriptionResult } from '../transcription.js';
import type { DiarizedJson, Usage } from './response-schemas.js';

type Segment = TranscriptionResult['segments'][number];

/** True when diarization labelled the result: speaker-aware formats change shape only then. */
export function hasSpeakers(result: TranscriptionResult): boolean {
  return result.segments.some((segment) => segment.speaker !== undefined);
}

/** Consecutive segments of one speaker, joined: one line of a dialogue. */
export function speakerRuns(segments: readonly Segment[]): Array<{ speaker: string; text: string }> {
  const runs: Array<{ speaker: string; text: string }> = [];
  for (const segment of segments) {
    const text = segment.text.trim();
    if (text === '') continue;
    const speaker = segment.speaker ?? 'SPEAKER_00';
    const last = runs[runs.length - 1];
    if (last && last.speaker === speaker) last.text = `${last.text} ${text}`;
    else runs.push({ speaker, text });
  }
  return runs;
}

/** The text format of a diarized result: each speaker turn on its own line, after its label. */
export function dialogueText(result: TranscriptionResult): string {
  return speakerRuns(result.segments)
    .map((run) => `${run.speaker}: ${run.text}\n`)
    .join('');
}

/**
 * OpenAI's diarized_json (gpt-4o-transcribe-diarize): `task, duration, text, segments` where each
 * segment is `{type: 'transcript.text.segment', id, start, end, text, speaker}` with a string id.
 */
export function diarizedJson(
  result: TranscriptionResult,
  extras: { usage: Usage; storage_url?: string; export_error?: string },
): DiarizedJson {
  return {
    task: result.task,
    duration: result.duration,
    text: result.text,
    segments: result.segments
      .filter((segment) => segment.text.trim() !== '')
      .map((segment, index) => ({
        type: 'transcript.text.segment' as const,
        id: `seg_${index}`,
        start: segment.start,
        end: segment.end,
        text: segment.text.trim(),
        speaker: segment.speaker ?? 'SPEAKER_00',
      })),
    // Not in OpenAI's shape: which backend labelled the speakers (extra fields are ignored by SDKs).
    ...(result.diarization ? { diarization: result.diarization } : {}),
    ...extras,
  };
}

// RTTM fields are space-separated, so a file id must not contain whitespace.
function rttmFileId(fileId: string): string {
  return fileId.replace(/\s+/g, '_') || 'audio';
}

const seconds = (value: number) => (Math.round(value * 1000) / 1000).toFixed(3);

/** NIST RTTM, the format diarization scorers (pyannote.metrics, dscore) read: one SPEAKER line per turn. */
export function formatRttm(turns: readonly SpeakerTurn[], fileId: string): string {
  const id = rttmFileId(fileId);
  return turns
    .map(
      (turn) =>
        `SPEAKER ${id} 1 ${seconds(turn.start)} ${seconds(Math.max(0, turn.end - turn.start))} <NA> <NA> ${turn.speaker} <NA> <NA>\n`,
    )
    .join('');
}
