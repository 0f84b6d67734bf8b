import type { DiarizationOptions } from '@whisper-edge/shared';
import { ApiError } from '@whisper-edge/shared';
import { AcousticDiarizer } from './acoustic-diarizer.js';
import type { Diarizer } from './diarizer.js';

/** Builds the neural backend when its models are configured and loadable; undefined otherwise. */
export type NeuralFactory = (options: DiarizationOptions) => Promise<Diarizer | undefined>;

let neuralFactory: NeuralFactory | undefined;

/** Called at start-up when DIARIZATION_SEGMENTATION_MODEL / DIARIZATION_EMBEDDING_MODEL are set. */
export function setNeuralDiarization(factory: NeuralFactory | undefined): void {
  neuralFactory = factory;
}

/**
 * The backend a request gets: the one it names, else neural wherever its models load, else acoustic
 * (which needs no weights). Naming neural without its models is the caller's error, said plainly.
 */
export async function createDiarizer(options: DiarizationOptions): Promise<Diarizer> {
  if (options.backend !== 'acoustic' && neuralFactory) {
    const neural = await neuralFactory(options);
    if (neural) return neural;
  }
  if (options.backend === 'neural') {
    throw new ApiError(
      400,
      'diarization_backend=neural needs DIARIZATION_SEGMENTATION_MODEL and DIARIZATION_EMBEDDING_MODEL on the GPU service; they are not configured or could not be loaded. Use diarization_backend=acoustic.',
      { code: 'diarization_backend_unavailable', param: 'diarization_backend' },
    );
  }
  return AcousticDiarizer.create(options);
}
