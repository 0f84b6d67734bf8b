import type { Segment, TranscribeOptions, TranscriptionResult } from '@whisper-edge/shared';
import { ApiError } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/decode-audio.js';
import type { LoadedModel } from './model-manager.js';

interface PipelineChunk {
  timestamp: [number, number | null];
  text: string;
}

interface PipelineOutput {
  text: string;
  chunks?: PipelineChunk[];
}

function toSegments(chunks: PipelineChunk[], duration: number): Segment[] {
  return chunks.map((chunk, id) => {
    const start = Math.min(chunk.timestamp[0], duration);
    // The last chunk of a window may be left open by the model: it ends where the audio does.
    const end = Math.min(chunk.timestamp[1] ?? duration, duration);
    return { id, start, end: Math.max(start, end), text: chunk.text };
  });
}

/** Runs Whisper on 16 kHz mono samples and returns the canonical result every format is built from. */
export async function transcribe(
  model: LoadedModel,
  audio: Float32Array,
  options: TranscribeOptions,
): Promise<TranscriptionResult> {
  if (
    !model.multilingual &&
    (options.task === 'translate' || (options.language && options.language !== 'en'))
  ) {
    throw new ApiError(
      400,
      `Model '${model.name}' is English-only: it cannot ${options.task === 'translate' ? 'translate' : `transcribe '${options.language}'`}`,
      {
        code: 'unsupported_language',
        param: options.task === 'translate' ? 'task' : 'language',
      },
    );
  }
  const duration = audio.length / SAMPLE_RATE;
  const output = (await model.transcriber(audio, {
    return_timestamps: true,
    chunk_length_s: duration > 30 ? 30 : 0,
    ...(model.multilingual ? { task: options.task } : {}),
    ...(model.multilingual && options.language ? { language: options.language } : {}),
  })) as PipelineOutput;
  const segments = toSegments(output.chunks ?? [], duration);
  return {
    task: options.task,
    text: output.text.trim(),
    language: options.language ?? (model.multilingual ? 'unknown' : 'en'),
    duration: Math.round(duration * 1000) / 1000,
    model: model.name,
    segments,
  };
}
