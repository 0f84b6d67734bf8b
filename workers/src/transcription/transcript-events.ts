import type { Segment } from '@whisper-edge/shared';

/** One server-sent event: `data: <json>` and a blank line, the framing OpenAI's SDKs parse. */
export function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** OpenAI's streaming transcription events for finished segments: deltas, plus segments when diarized. */
export function segmentEvents(segments: readonly Segment[]): unknown[] {
  return [
    ...segments.map((segment) => ({ type: 'transcript.text.delta', delta: segment.text })),
    ...speakerSegmentEvents(segments),
  ];
}

/**
 * Speakers are known only once the whole file is clustered: a diarized result's segments are sent at
 * the end as `transcript.text.segment` events (OpenAI's shape for diarized streams).
 */
export function speakerSegmentEvents(segments: readonly Segment[]): unknown[] {
  return segments.flatMap((segment) =>
    segment.speaker
      ? [
          {
            type: 'transcript.text.segment',
            id: `seg_${segment.id}`,
            start: segment.start,
            end: segment.end,
            text: segment.text.trim(),
            speaker: segment.speaker,
          },
        ]
      : [],
  );
}

export function doneEvent(text: string, durationSeconds?: number): unknown {
  return {
    type: 'transcript.text.done',
    text,
    ...(durationSeconds !== undefined
      ? { usage: { type: 'duration', seconds: Math.ceil(durationSeconds) } }
      : {}),
  };
}
