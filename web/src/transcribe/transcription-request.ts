/** What the transcribe form asks for, independent of the DOM. */
export interface TranscriptionChoices {
  storageKey: string;
  model: string;
  /** Empty = let Whisper detect it. */
  language: string;
  task: 'transcribe' | 'translate';
  wordTimestamps: boolean;
  diarization: boolean;
  /** Only sent with diarization; undefined = let the service decide. */
  numSpeakers: number | undefined;
  /** Keep a copy of the result in the bucket (`storage_url` in the answer). */
  saveCopy: boolean;
  outputKey: string;
}

export interface TranscriptionRequest {
  path: string;
  body: Record<string, unknown>;
}

/**
 * The JSON body for the Worker. Always verbose_json with segment timestamps: the reader and every export
 * are rendered from it; word timestamps drive word highlighting when asked for.
 */
export function buildTranscriptionRequest(choices: TranscriptionChoices): TranscriptionRequest {
  const body: Record<string, unknown> = {
    storage_key: choices.storageKey,
    model: choices.model,
    response_format: 'verbose_json',
    timestamp_granularities: choices.wordTimestamps ? ['segment', 'word'] : ['segment'],
  };
  // Translations always produce English; OpenAI's translation endpoint takes no language.
  if (choices.language && choices.task === 'transcribe') body.language = choices.language;
  if (choices.diarization) {
    body.enable_diarization = true;
    if (choices.numSpeakers !== undefined) body.num_speakers = choices.numSpeakers;
  }
  if (choices.saveCopy || choices.outputKey.trim()) {
    body.stored_output = true;
    if (choices.outputKey.trim()) body.output_key = choices.outputKey.trim();
  }
  return {
    path: choices.task === 'translate' ? '/v1/audio/translations' : '/v1/audio/transcriptions',
    body,
  };
}
