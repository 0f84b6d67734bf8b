import type { Segment, SpeakerTurn, TranscribeOptions, TranscriptionResult } from '@whisper-edge/shared';
import { ApiError } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { assignSpeakers } from '../diarization/assign-speakers.js';
import type { DiarizerFactory } from '../diarization/create-diarizer.js';
import { type KnownVoice, nameKnownSpeakers } from '../diarization/known-speakers.js';
import { encoderBatchIsExact } from '../models/dtype-map.js';
import type { LoadedModel } from '../models/model-manager.js';
import { canAlignWords } from '../models/whisper-model.js';
import { BatchScheduler, windowsInHand } from '../whisper/batch-scheduler.js';
import type { WindowWord } from '../whisper/decode-types.js';
import type { LanguageGuess } from '../whisper/detect-language.js';
import type { WindowInput } from '../whisper/encode-windows.js';
import { EnginePool } from '../whisper/engine-pool.js';
import { WhisperEngine } from '../whisper/whisper-engine.js';
import { readVocab, type WhisperVocab } from '../whisper/whisper-vocab.js';
import { type AudioWindow, WindowAssembler } from './window-assembler.js';

function assertSupported(model: LoadedModel, options: TranscribeOptions): void {
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

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** A caller's temperature starts the fallback ladder; the default (0) is Whisper's full schedule. */
function temperatureSchedule(temperature: number | undefined): { temperatures?: number[] } {
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

type Word = NonNullable<TranscriptionResult['words']>[number];

async function* single(audio: Float32Array): AsyncGenerator<Float32Array> {
  yield audio;
}

/** A loaded model's engine, and the scheduler that batches its windows across concurrent requests. */
export interface ModelEngine {
  /** On the main thread (WhisperEngine) or on engine worker threads (EnginePool, ENGINE_WORKERS). */
  engine: Pick<WhisperEngine, 'transcribeWindows' | 'detectLanguage'>;
  scheduler: BatchScheduler;
  /** The model's special tokens, read on this thread whichever thread decodes. */
  vocab: WhisperVocab;
}

async function startEngine(model: LoadedModel): Promise<ModelEngine> {
  if (model.engineWorkers > 0) {
    const pool = await EnginePool.start(model);
    model.onUnload(() => pool.close());
    return {
      engine: pool,
      scheduler: new BatchScheduler(pool, 1, pool.workers * windowsInHand(model.batchSize)),
      vocab: readVocab(model.whisper.generationConfig, model.whisper.tokenizer),
    };
  }
  const whisper = new WhisperEngine(model.whisper, await model.features(), {
    batchSize: model.batchSize,
    encoderBatchSize: encoderBatchIsExact(model.loadSpec.dtype) ? model.batchSize : 1,
  });
  return {
    engine: whisper,
    scheduler: new BatchScheduler(whisper, 1, windowsInHand(model.batchSize)),
    vocab: whisper.vocab,
  };
}

/**
 * Runs Whisper on 16 kHz mono samples and returns the canonical result every format is built from.
 * It owns what transcription keeps between requests: one engine and scheduler per loaded model, so
 * concurrent requests on a model share its batches. They hold no resource of their own (the sessions
 * and log-mel workers are the model's, stopped when the registry unloads it), so they are keyed weakly:
 * they go with the unloaded model once no request holds it.
 */
export class Transcriber {
  private readonly engines = new WeakMap<LoadedModel, Promise<ModelEngine>>();

  constructor(private readonly deps: { diarizers: DiarizerFactory }) {}

  engineFor(model: LoadedModel): Promise<ModelEngine> {
    let engine = this.engines.get(model);
    if (!engine) {
      engine = startEngine(model).catch((error: unknown) => {
        // The next request tries again rather than inheriting this failure.
        this.engines.delete(model);
        throw error;
      });
      this.engines.set(model, engine);
    }
    return engine;
  }

  /** Whisper's language identification on the first 30 s, as a request without `language` gets it. */
  async detectLanguage(model: LoadedModel, audio: Float32Array): Promise<LanguageGuess> {
    const { language, probability } = await (await this.engineFor(model)).engine.detectLanguage(audio);
    return { language, probability };
  }

  transcribe(
    model: LoadedModel,
    audio: Float32Array,
    options: TranscribeOptions,
    tuning: TranscribeTuning & TranscribeHooks = {},
  ): Promise<TranscriptionResult> {
    return this.transcribeStream(model, single(audio), options, tuning);
  }

  /**
   * The streaming form: PCM blocks in (from ffmpeg), windows out as soon as they are final, decoded in
   * batches. Memory holds one window being assembled plus one batch, whatever the input's length.
   */
  async transcribeStream(
    model: LoadedModel,
    blocks: AsyncIterable<Float32Array>,
    options: TranscribeOptions,
    tuning: TranscribeTuning & TranscribeHooks = {},
  ): Promise<TranscriptionResult> {
    assertSupported(model, options);
    const { signal } = tuning;
    const { engine, scheduler } = await this.engineFor(model);
    const assembler = await WindowAssembler.create(model.vad, options.vad);
    const segments: Segment[] = [];
    const words: Word[] = [];
    const askedWords = options.timestamp_granularities?.includes('word') === true;
    // Diarization sees the same blocks; segments are split at speaker changes, which needs words.
    const diarizer = options.diarization ? await this.deps.diarizers(options.diarization) : undefined;
    const wantWords = askedWords || diarizer !== undefined;
    let language: string | undefined = model.whisper.multilingual ? options.language : 'en';
    let queue: AudioWindow[] = [];

    const run = async (windows: AudioWindow[]) => {
      if (windows.length === 0) return;
      signal?.throwIfAborted();
      const firstNew = segments.length;
      // Language is identified on speech, the first window, not on whatever silence opens the file.
      const inputs: WindowInput[] = windows.map((w) => w.samples);
      if (language === undefined) {
        const detected = await engine.detectLanguage(windows[0]!.samples);
        language = detected.language;
        // Its decode reuses the encoder output detection computed.
        if (detected.encoded) inputs[0] = detected.encoded;
      }
      const results = await scheduler.transcribeWindows(inputs, {
        language,
        task: options.task,
        prompt: options.prompt,
        withTimestamps: true,
        withWords: wantWords,
        ...(tuning.temperatures
          ? { temperatures: tuning.temperatures }
          : temperatureSchedule(options.temperature)),
      });
      for (const [w, result] of results.entries()) {
        // A window Whisper itself judges silent contributes nothing, rather than a hallucination.
        if (result.silent) continue;
        const window = windows[w]!;
        for (const segment of result.segments) {
          const start = round(window.toSource(segment.start, 'start'));
          segments.push({
            id: segments.length,
            seek: Math.round(window.offset * 100),
            start,
            end: Math.max(start, round(window.toSource(segment.end, 'end'))),
            text: segment.text,
            tokens: segment.tokens,
            temperature: result.temperature,
            avg_logprob: result.avgLogprob,
            compression_ratio: result.compressionRatio,
            no_speech_prob: result.noSpeechProb,
          });
        }
        if (wantWords) words.push(...windowWords(window, result.words ?? []));
      }
      const last = windows.at(-1)!;
      await tuning.onWindows?.({
        processedSeconds: round(last.toSource(last.samples.length / SAMPLE_RATE, 'end')),
        segments: segments.slice(firstNew),
      });
    };

    for await (const block of blocks) {
      signal?.throwIfAborted();
      queue.push(...(await assembler.push(block)));
      await diarizer?.push(block);
      tuning.onRetained?.(assembler.retainedSamples + queue.reduce((n, w) => n + w.samples.length, 0));
      if (queue.length >= model.batchSize) {
        const batch = queue;
        queue = [];
        await run(batch);
      }
    }
    queue.push(...(await assembler.finish()));
    await run(queue);

    const duration = assembler.received / SAMPLE_RATE;
    const clamp = (t: number) => Math.min(t, round(duration));
    const turns = diarizer && (await nameKnownSpeakers(diarizer, await diarizer.finish(), tuning.voices));
    const labelled = turns ? assignSpeakers(segments, words, turns) : { segments, words };
    tuning.onDiarized?.(turns ?? []);
    return {
      task: options.task,
      text: segments
        .map((s) => s.text)
        .join('')
        .trim(),
      language: language ?? 'en',
      duration: round(duration),
      model: model.name,
      segments: labelled.segments.map((s) => ({ ...s, start: clamp(s.start), end: clamp(s.end) })),
      ...(askedWords
        ? { words: labelled.words.map((w) => ({ ...w, start: clamp(w.start), end: clamp(w.end) })) }
        : {}),
      ...(diarizer ? { diarization: { backend: diarizer.backend } } : {}),
    };
  }
}

/** The engine's word timestamps for one window (window seconds), mapped back to the original timeline. */
function windowWords(window: AudioWindow, engineWords: readonly WindowWord[]): Word[] {
  const windowSeconds = window.samples.length / SAMPLE_RATE;
  return engineWords.map((w) => {
    const start = window.toSource(Math.min(w.start, windowSeconds), 'start');
    const end = window.toSource(Math.min(w.end, windowSeconds), 'end');
    return {
      word: w.word.trim(),
      start: round(start),
      end: round(Math.max(start, end)),
      ...(w.probability !== undefined ? { probability: w.probability } : {}),
    };
  });
}
