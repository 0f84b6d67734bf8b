import path from 'node:path';
import type { Segment, TranscribeOptions, TranscriptionResult } from '@whisper-edge/shared';
import { ApiError } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/decode-audio.js';
import { detectLanguage } from './detect-language.js';
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
/** The names a request may use for the loaded model: `whisper-1` (what OpenAI clients send) or its id. */
export function acceptedModelNames(model: LoadedModel): string[] {
  return [...new Set(['whisper-1', model.name, path.basename(model.name)])];
}

function assertSupported(model: LoadedModel, options: TranscribeOptions): void {
  if (options.model !== undefined && !acceptedModelNames(model).includes(options.model)) {
    throw new ApiError(
      400,
      `Unknown model '${options.model}'. Allowed: ${acceptedModelNames(model).join(', ')}`,
      {
        code: 'model_not_found',
        param: 'model',
      },
    );
  }
  if (
    !model.multilingual &&
    (options.task === 'translate' || (options.language && options.language !== 'en'))
  ) {
    const what = options.task === 'translate' ? 'translate' : `transcribe '${options.language}'`;
    throw new ApiError(400, `Model '${model.name}' is English-only: it cannot ${what}`, {
      code: 'unsupported_language',
      param: options.task === 'translate' ? 'model' : 'language',
    });
  }
}

/** Runs Whisper on 16 kHz mono samples and returns the canonical result every format is built from. */
export async function transcribe(
  model: LoadedModel,
  audio: Float32Array,
  options: TranscribeOptions,
): Promise<TranscriptionResult> {
  assertSupported(model, options);
  const duration = audio.length / SAMPLE_RATE;
  const language = model.multilingual
    ? (options.language ?? (await detectLanguage(model, audio)).language)
    : 'en';
  const common = {
    chunk_length_s: duration > 30 ? 30 : 0,
    ...(model.multilingual ? { task: options.task, language } : {}),
  };
  const output = (await model.transcriber(audio, { ...common, return_timestamps: true })) as PipelineOutput;
  // The stock pipeline gives words or segments per pass, not both; the engine work replaces this.
  const words = options.timestamp_granularities?.includes('word')
    ? toWords(
        ((await model.transcriber(audio, { ...common, return_timestamps: 'word' })) as PipelineOutput).chunks,
        duration,
      )
    : undefined;
  return {
    task: options.task,
    text: output.text.trim(),
    language,
    duration: Math.round(duration * 1000) / 1000,
    model: model.name,
    segments: toSegments(output.chunks ?? [], duration),
    ...(words ? { words } : {}),
  };
}

function toWords(chunks: PipelineChunk[] | undefined, duration: number) {
  return (chunks ?? []).map((chunk) => {
    const start = Math.min(chunk.timestamp[0], duration);
    return {
      word: chunk.text.trim(),
      start,
      end: Math.max(start, Math.min(chunk.timestamp[1] ?? duration, duration)),
    };
  });
}
