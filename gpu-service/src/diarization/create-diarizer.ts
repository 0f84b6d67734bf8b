import type { DiarizationOptions } from '@whisper-edge/shared';
import { ApiError } from '@whisper-edge/shared';
import { AcousticDiarizer } from './acoustic-diarizer.js';
import type { Diarizer } from './diarizer.js';

/** Builds the neural backend when its models are configured and loadable; undefined otherwise. */
export type NeuralFactory = (options: DiarizationOptions) => Promise<Diarizer | undefined>;

/** The diarizer one request runs (its own: diarizers keep per-file state). */
export type DiarizerFactory = (options: DiarizationOptions) => Promise<Diarizer>;

/**
 * The backend a request gets: the one it names, else neural wherever its models load, else acoustic
 * (which needs no weights). Naming neural without its models is the caller's error, said plainly.
 * `neural` is what main.ts builds when DIARIZATION_SEGMENTATION_MODEL / DIARIZATION_EMBEDDING_MODEL
 * are set; without it every request gets the acoustic backend.
 */
export function diarizerFactory(neural?: NeuralFactory): DiarizerFactory {
  return async (options) => {
    if (options.backend !== 'acoustic' && neural) {
      const diarizer = await neural(options);
      if (diarizer) return diarizer;
    }
    if (options.backend === 'neural') {
      throw new ApiError(
        400,
        'diarization_backend=neural needs DIARIZATION_SEGMENTATION_MODEL and DIARIZATION_EMBEDDING_MODEL on the GPU service; they are not configured or could not be loaded. Use diarization_backend=acoustic.',
        { code: 'diarization_backend_unavailable', param: 'diarization_backend' },
      );
    }
    return AcousticDiarizer.create(options);
  };
}
