import type { DiarizationOptions, KnownSpeaker, TranscribeRequest, WorkLimits } from '@whisper-edge/shared';
import type { AudioInput } from './audio-input.js';
import type { PlannedExport } from './result-export.js';
import type { TranscriptionParams } from './transcription-params.js';

/** The one place a transcription request for the GPU service is put together (sync, stream and jobs). */
export function transcribeRequest(
  input: AudioInput,
  params: TranscriptionParams,
  limits: WorkLimits,
  extras: {
    plannedExport?: PlannedExport | undefined;
    jobId?: string;
    knownSpeakers?: KnownSpeaker[] | undefined;
  } = {},
): TranscribeRequest {
  const { diarization } = params.options;
  return {
    audio_url: input.audioUrl,
    audio_source: input.source,
    options:
      diarization && extras.knownSpeakers
        ? { ...params.options, diarization: { ...diarization, known_speakers: extras.knownSpeakers } }
        : params.options,
    limits,
    ...(extras.plannedExport ? { result_target: extras.plannedExport.target } : {}),
    ...(extras.jobId ? { job_id: extras.jobId } : {}),
  };
}

export function diarizeRequest(
  input: AudioInput,
  options: DiarizationOptions,
  limits: WorkLimits,
  knownSpeakers?: KnownSpeaker[],
) {
  return {
    audio_url: input.audioUrl,
    audio_source: input.source,
    options: knownSpeakers ? { ...options, known_speakers: knownSpeakers } : options,
    limits,
  };
}
