/** A verbose_json transcription as the page uses it: OpenAI's shape, plus `speaker` once diarization lands. */
export interface TranscriptWord {
  word: string;
  start: number;
  end: number;
  /** The decode's confidence in the word (0-1), when the service measured it. */
  probability?: number;
}

export interface TranscriptSegment {
  id: number;
  start: number;
  end: number;
  text: string;
  /** `SPEAKER_00`… when the service diarized the audio. */
  speaker?: string;
  [extra: string]: unknown;
}

export interface Transcript {
  task: 'transcribe' | 'translate';
  language: string;
  duration: number;
  text: string;
  segments: TranscriptSegment[];
  words?: TranscriptWord[];
  storage_url?: string;
  export_error?: string;
  [extra: string]: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function asSegment(value: unknown, index: number): TranscriptSegment {
  if (!isObject(value) || !isNumber(value.start) || !isNumber(value.end) || typeof value.text !== 'string') {
    throw new Error(`segment ${index} is not {start, end, text}`);
  }
  const speaker = typeof value.speaker === 'string' && value.speaker !== '' ? value.speaker : undefined;
  return {
    ...value,
    id: isNumber(value.id) ? value.id : index,
    start: value.start,
    end: value.end,
    text: value.text,
    ...(speaker ? { speaker } : { speaker: undefined }),
  };
}

/** Checks a verbose_json answer has what the page relies on; anything else is an error, not a blank view. */
export function parseTranscript(value: unknown): Transcript {
  if (!isObject(value) || typeof value.text !== 'string' || !Array.isArray(value.segments)) {
    throw new Error('The service did not answer with verbose_json (text and segments)');
  }
  const words = Array.isArray(value.words)
    ? value.words.filter(
        (w): w is TranscriptWord =>
          isObject(w) && typeof w.word === 'string' && isNumber(w.start) && isNumber(w.end),
      )
    : undefined;
  const segments = value.segments.map(asSegment);
  for (const segment of segments) if (segment.speaker === undefined) delete segment.speaker;
  return {
    ...value,
    task: value.task === 'translate' ? 'translate' : 'transcribe',
    language: typeof value.language === 'string' ? value.language : '',
    duration: isNumber(value.duration) ? value.duration : (segments.at(-1)?.end ?? 0),
    text: value.text,
    segments,
    ...(words ? { words } : {}),
  };
}
