import type { Segment, TranscribeOptions, TranscriptionResult } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { assignSpeakers } from '../diarization/assign-speakers.js';
import type { DiarizerFactory } from '../diarization/create-diarizer.js';
import { nameKnownSpeakers } from '../diarization/known-speakers.js';
import type { LoadedModel } from '../models/model-manager.js';
import { PRIORITY } from '../whisper/batch-scheduler.js';
import type { WindowResult, WindowWord } from '../whisper/decode-types.js';
import type { LanguageGuess } from '../whisper/detect-language.js';
import type { WindowInput } from '../whisper/encode-windows.js';
import { type ModelEngine, startEngine, windowsInFlight } from './model-engine.js';
import {
  assertSupported,
  type TranscribeHooks,
  type TranscribeTuning,
  temperatureSchedule,
} from './transcribe-options.js';
import { type AudioWindow, WindowAssembler } from './window-assembler.js';
import { WindowPipeline } from './window-pipeline.js';

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

type Word = NonNullable<TranscriptionResult['words']>[number];

async function* single(audio: Float32Array): AsyncGenerator<Float32Array> {
  yield audio;
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
   * The streaming form: PCM blocks in (from ffmpeg), windows out to the engine as soon as they are
   * final, a few in flight while reading goes on. Memory holds one window being assembled plus those
   * in flight, whatever the input's length.
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
    const decodeOptions = () => ({
      language,
      task: options.task,
      prompt: options.prompt,
      withTimestamps: true,
      withWords: wantWords,
      ...(tuning.temperatures
        ? { temperatures: tuning.temperatures }
        : temperatureSchedule(options.temperature)),
    });

    // This request's windows, handed to the scheduler one by one, are one request to its fair share.
    const request = {};
    const accept = async (window: AudioWindow, result: WindowResult) => {
      const firstNew = segments.length;
      // A window Whisper itself judges silent contributes nothing, rather than a hallucination.
      if (!result.silent) {
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
      await tuning.onWindows?.({
        processedSeconds: round(window.toSource(window.samples.length / SAMPLE_RATE, 'end')),
        segments: segments.slice(firstNew),
      });
    };
    const pipeline = new WindowPipeline<WindowResult>(
      windowsInFlight(model),
      async (window) => {
        let input: WindowInput = window.samples;
        // Language is identified on speech, the first window, not on whatever silence opens the file.
        if (language === undefined) {
          const detected = await engine.detectLanguage(window.samples);
          language = detected.language;
          // Its decode reuses the encoder output detection computed.
          if (detected.encoded) input = detected.encoded;
        }
        const [result] = await scheduler.transcribeWindows([input], decodeOptions(), PRIORITY.batch, {
          signal,
          owner: request,
        });
        return result!;
      },
      accept,
    );
    const push = async (windows: AudioWindow[]) => {
      for (const window of windows) {
        signal?.throwIfAborted();
        // The first window settles the language before any other is decoded.
        const pending = language === undefined;
        await pipeline.push(window);
        if (pending) await pipeline.finish();
      }
    };

    for await (const block of blocks) {
      signal?.throwIfAborted();
      await push(await assembler.push(block));
      await diarizer?.push(block);
      tuning.onRetained?.(assembler.retainedSamples + pipeline.heldSamples);
    }
    await push(await assembler.finish());
    await pipeline.finish();

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
