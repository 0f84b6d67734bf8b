import path from 'node:path';
import type { Segment, TranscribeOptions, TranscriptionResult } from '@whisper-edge/shared';
import { ApiError } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/decode-audio.js';
import { transformersFeatures, WhisperEngine } from '../engine/whisper-engine.js';
import { detectLanguage } from './detect-language.js';
import type { LoadedModel } from './model-manager.js';
import { fixedWindows, speechWindows } from './windows.js';

interface PipelineChunk {
  timestamp: [number, number | null];
  text: string;
}

interface PipelineOutput {
  text: string;
  chunks?: PipelineChunk[];
}

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
const engines = new WeakMap<LoadedModel, WhisperEngine>();

function engineFor(model: LoadedModel): WhisperEngine {
  let engine = engines.get(model);
  if (!engine) {
    engine = new WhisperEngine(model, transformersFeatures(model), { batchSize: model.batchSize });
    engines.set(model, engine);
  }
  return engine;
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** A caller's temperature starts the fallback ladder; the default (0) is Whisper's full schedule. */
function temperatureSchedule(temperature: number | undefined): { temperatures?: number[] } {
  if (temperature === undefined || temperature <= 0) return {};
  return { temperatures: [temperature, ...[0.2, 0.4, 0.6, 0.8, 1.0].filter((t) => t > temperature)] };
}

/** Runs Whisper on 16 kHz mono samples and returns the canonical result every format is built from. */
export async function transcribe(
  model: LoadedModel,
  audio: Float32Array,
  options: TranscribeOptions,
  /** Overrides for tests and benchmarks: e.g. `[0]` turns temperature fallback off. */
  tuning: { temperatures?: number[] } = {},
): Promise<TranscriptionResult> {
  assertSupported(model, options);
  const duration = audio.length / SAMPLE_RATE;
  const windows = model.vad ? await speechWindows(audio) : fixedWindows(audio);
  // Language is identified on speech, the first window, not on whatever silence opens the file.
  const firstWindow = windows[0]?.samples;
  const language = model.multilingual
    ? (options.language ?? (firstWindow ? (await detectLanguage(model, firstWindow)).language : 'en'))
    : 'en';
  const results = await engineFor(model).transcribeWindows(
    windows.map((w) => w.samples),
    {
      language,
      task: options.task,
      prompt: options.prompt,
      withTimestamps: true,
      ...(tuning.temperatures
        ? { temperatures: tuning.temperatures }
        : temperatureSchedule(options.temperature)),
    },
  );
  const segments: Segment[] = [];
  results.forEach((result, w) => {
    // A window Whisper itself judges silent contributes nothing, rather than a hallucination.
    if (result.silent) return;
    const window = windows[w]!;
    for (const segment of result.segments) {
      const start = round(Math.min(window.toSource(segment.start, 'start'), duration));
      segments.push({
        id: segments.length,
        seek: Math.round(window.offset * 100),
        start,
        end: Math.max(start, round(Math.min(window.toSource(segment.end, 'end'), duration))),
        text: segment.text,
        tokens: segment.tokens,
        temperature: result.temperature,
        avg_logprob: result.avgLogprob,
        compression_ratio: result.compressionRatio,
        no_speech_prob: result.noSpeechProb,
      });
    }
  });
  // Word timestamps still come from the stock pipeline's cross-attention alignment, in a second pass.
  const words = options.timestamp_granularities?.includes('word')
    ? toWords(
        (
          (await model.transcriber(audio, {
            chunk_length_s: duration > 30 ? 30 : 0,
            ...(model.multilingual ? { task: options.task, language } : {}),
            return_timestamps: 'word',
          })) as PipelineOutput
        ).chunks,
        duration,
      )
    : undefined;
  return {
    task: options.task,
    text: segments
      .map((s) => s.text)
      .join('')
      .trim(),
    language,
    duration: round(duration),
    model: model.name,
    segments,
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
