import type { Segment, SpeakerTurn, TranscribeOptions } from '@whisper-edge/shared';
import { ApiError } from '@whisper-edge/shared';
import type { KnownVoice } from '../diarization/known-speakers.js';
import type { LoadedModel } from '../models/model-manager.js';
import { canAlignWords } from '../models/whisper-model.js';

/** What a model cannot do is refused before any work: translation or other languages, word times. */
export function assertSupported(model: LoadedModel, options: TranscribeOptions): void {
  if (
    !model.whisper.multilingual &&
    (options.task === 'translate' || (options.language && options.language !== 'en'))
  ) {
    const what = options.task === 'translate' ? 'translate' : `transcribe '${options.language}'`;
    throw new ApiError(400, `Model '${model.name}' is English-only: it cannot ${what}`, {
      code: 'unsupported_language',
      param: options.task === 'translate' ? 'model' : 'language',
    });
  }
  if (options.timestamp_granularities?.includes('word') && !canAlignWords(model.whisper)) {
    throw new ApiError(400, `Model '${model.name}' cannot give word timestamps (no alignment heads)`, {
      code: 'unsupported_timestamp_granularity',
      param: 'timestamp_granularities',
    });
  }
}

/** A caller's temperature starts the fallback ladder; the default (0) is Whisper's full schedule. */
export function temperatureSchedule(temperature: number | undefined): { temperatures?: number[] } {
  if (temperature === undefined || temperature <= 0) return {};
  return { temperatures: [temperature, ...[0.2, 0.4, 0.6, 0.8, 1.0].filter((t) => t > temperature)] };
}

export interface TranscribeTuning {
  /** e.g. `[0]` turns temperature fallback off (tests and benchmarks). */
  temperatures?: number[];
  /** Called with the samples held after each block: lets tests see memory stays bounded. */
  onRetained?: (samples: number) => void;
  /** Called with the speaker turns when diarization ran (tests and benchmarks). */
  onDiarized?: (turns: SpeakerTurn[]) => void;
}

export interface WindowsDone {
  /** Source seconds transcribed so far: everything before this point is final. */
  processedSeconds: number;
  /** Segments finished by this batch, with their final ids and source times. */
  segments: Segment[];
}

export interface TranscribeHooks {
  /** Called after each batch of windows, in order: the source of live progress and streamed text. */
  onWindows?: (update: WindowsDone) => void | Promise<void>;
  /** Stops the work between blocks and batches (a cancelled job, a caller that went away). */
  signal?: AbortSignal;
  /** Reference voices (decoded `diarization.known_speakers`): matching speakers take their names. */
  voices?: readonly KnownVoice[];
}
