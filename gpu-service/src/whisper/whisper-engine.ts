import { ApiError } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { N_SAMPLES } from '../audio/whisper-audio.js';
import type { WhisperModel } from '../models/whisper-model.js';
import type { BeamSearchDecoder } from './beam-search-decoder.js';
import { tokenStartTimes } from './cross-attention-dtw.js';
import { DecodeLoop } from './decode-loop.js';
import type { DecodeOptions, FeatureExtractor, WindowResult, WindowWord } from './decode-types.js';
import { type DecodedSequence, type DecoderShape, decoderShape } from './decoder-runner.js';
import { detectLanguage, type LanguageGuess } from './detect-language.js';
import { type EncodedRow, EncodeQueue } from './encode-queue.js';
import { type EncodedWindow, encodeWindows, samplesOf, type WindowInput } from './encode-windows.js';
import {
  compressionRatio,
  DEFAULT_THRESHOLDS,
  isSilent,
  needsFallback,
  type QualityThresholds,
} from './quality.js';
import { collapseLoops, findLoop, keptAfterCollapse } from './repetition.js';
import { mulberry32 } from './seeded-random.js';
import { tokensToSegments } from './token-segments.js';
import { readVocab, type WhisperVocab } from './whisper-vocab.js';
import { groupWords, writesWithoutSpaces } from './word-grouping.js';

/** Audio samples per encoder frame (hop 160, then the encoder's stride of 2). */
const SAMPLES_PER_FRAME = 320;
const MAX_PROMPT_TOKENS = 223;

/**
 * Our Whisper decoding on the model's own onnxruntime sessions: windows are encoded and decoded in
 * batches (Transformers.js's pipeline does one window at a time), with Whisper's quality guards —
 * temperature fallback on repetitive or unconfident output, and no-speech detection.
 */
export class WhisperEngine {
  readonly vocab: WhisperVocab;
  private readonly shape: DecoderShape;
  private readonly medianWidth: number;
  /** Every call's windows decode through this one loop: concurrent calls share its batch. */
  private readonly loop: DecodeLoop;
  /** ...and are encoded together as places in that batch come free. */
  private readonly encoder: EncodeQueue;

  constructor(
    private readonly model: WhisperModel,
    private readonly features: FeatureExtractor,
    private readonly options: {
      batchSize: number;
      /** Windows per encoder run (default batchSize): 1 where batching would change outputs (q8). */
      encoderBatchSize?: number;
      thresholds?: QualityThresholds;
      /** `transformers.js` reproduces its looser timestamp rules exactly (for comparisons). */
      timestampRules?: 'openai' | 'transformers.js';
      /**
       * Greedy windows decode inside onnxruntime instead of the shared loop
       * (docs/gpu-data-movement.md); hotter retries and Transformers.js's timestamp rules stay on it.
       */
      beamSearch?: BeamSearchDecoder;
    },
  ) {
    this.vocab = readVocab(model.generationConfig, model.tokenizer);
    this.shape = decoderShape(model.config);
    this.medianWidth = model.config.median_filter_width ?? 7;
    this.loop = new DecodeLoop(model.sessions.decoder, this.vocab, this.shape, options.batchSize);
    this.encoder = new EncodeQueue(model, features, this.loop, {
      batchSize: options.batchSize,
      encoderBatchSize: options.encoderBatchSize ?? options.batchSize,
    });
  }

  /**
   * Whisper's language identification on the first 30 s, on these same sessions and features. The
   * window comes back encoded, so decoding it next (transcribeWindows) does not encode it again.
   */
  async detectLanguage(audio: Float32Array): Promise<LanguageGuess & { encoded?: EncodedWindow }> {
    // An English-only model has no language tokens: nothing to ask the decoder.
    if (Object.keys(this.vocab.langToId).length === 0) return { language: 'en', probability: 1 };
    const samples = audio.subarray(0, N_SAMPLES);
    const hidden = await encodeWindows(this.model, this.features, [samples]);
    const guess = await detectLanguage(this.model.sessions.decoder, hidden, this.vocab, this.shape);
    return { ...guess, encoded: { samples, hidden } };
  }

  /** The prompt: optional previous text (<|startofprev|> …), then <|sot|> language task [notimestamps]. */
  promptTokens(options: DecodeOptions): number[] {
    const tokens: number[] = [];
    if (options.prompt?.trim() && this.vocab.startOfPrev !== undefined) {
      const text = this.model.tokenizer.encode(` ${options.prompt.trim()}`, { add_special_tokens: false });
      tokens.push(this.vocab.startOfPrev, ...text.slice(-MAX_PROMPT_TOKENS));
    }
    tokens.push(this.vocab.sot);
    if (this.vocab.multilingual) {
      const token = `<|${options.language ?? 'en'}|>`;
      const language = Object.hasOwn(this.vocab.langToId, token) ? this.vocab.langToId[token] : undefined;
      if (language === undefined)
        throw new ApiError(400, `This model has no language token for '${options.language}'`, {
          param: 'language',
          code: 'unsupported_language',
        });
      tokens.push(language, options.task === 'translate' ? this.vocab.translate : this.vocab.transcribe);
    }
    if (!options.withTimestamps) tokens.push(this.vocab.noTimestamps);
    if (options.prefixTokens) tokens.push(...options.prefixTokens);
    return tokens;
  }

  private toResult(
    decoded: DecodedSequence,
    windowSeconds: number,
    temperature: number,
    final: boolean,
  ): WindowResult {
    const looping = findLoop(decoded.tokens) !== undefined;
    // The last temperature's output is kept, minus any loop it still has.
    const tokens = final && looping ? collapseLoops(decoded.tokens) : decoded.tokens;
    // Text tokens only: some tokenizers (the .en ones) keep timestamp tokens despite skip_special_tokens,
    // and `<|0.00|>` in the text would skew the compression ratio the fallback is judged on.
    const textTokens = tokens.filter((t) => t < this.vocab.eot);
    // An empty list is an error to the tokenizer; a decode forced from a prefix can end at once.
    const text =
      textTokens.length > 0
        ? this.model.tokenizer.decode(textTokens, { skip_special_tokens: true }).trim()
        : '';
    const segments = tokensToSegments(tokens, this.vocab, windowSeconds).map((s) => ({
      ...s,
      text: this.model.tokenizer.decode(s.tokens, { skip_special_tokens: true }),
    }));
    const quality = {
      avgLogprob: decoded.sumLogprob / Math.max(1, decoded.tokens.length),
      compressionRatio: compressionRatio(text),
      noSpeechProb: decoded.noSpeechProb,
      looping,
    };
    return {
      tokens,
      text,
      segments,
      temperature,
      ...quality,
      silent: isSilent(quality, this.options.thresholds ?? DEFAULT_THRESHOLDS),
    };
  }

  /** Aligns a kept result's tokens (after any loop collapse) to the audio and groups them into words. */
  private words(
    decoded: DecodedSequence,
    tokens: number[],
    context: { promptLength: number; language: string | undefined },
  ): WindowWord[] {
    const kept = tokens === decoded.tokens ? undefined : keptAfterCollapse(decoded.tokens);
    const times = tokenStartTimes({
      heads: decoded.attention!,
      promptLength: context.promptLength,
      medianWidth: this.medianWidth,
    });
    const probabilities = decoded.logprobs.map(Math.exp);
    return groupWords(
      tokens,
      kept ? kept.map((i) => times[i]!) : times,
      this.vocab,
      {
        decode: (ids) => this.model.tokenizer.decode(ids),
        // Transformers.js strips the language token before grouping, so it always splits on spaces.
        splitOnCharacters:
          this.options.timestampRules !== 'transformers.js' && writesWithoutSpaces(context.language),
      },
      kept ? kept.map((i) => probabilities[i]!) : probabilities,
    );
  }

  /** How many encoder frames of a window its words align over: only the audio's, unless reproducing. */
  private alignmentFor(window: Float32Array): { heads: Array<[number, number]>; frames: number } {
    if (this.model.alignmentHeads.length === 0)
      throw new Error("the model's generation_config.json has no alignment_heads: word timestamps need them");
    const reproduce = this.options.timestampRules === 'transformers.js';
    return {
      heads: this.model.alignmentHeads,
      frames: reproduce
        ? Number.POSITIVE_INFINITY
        : Math.max(1, Math.floor(window.length / SAMPLES_PER_FRAME)),
    };
  }

  /**
   * Decodes windows through the shared loop: windows are encoded together as places in its batch come
   * free, and a window whose output fails the quality checks goes round again hotter, on the same
   * encoder output, while the others go on.
   */
  async transcribeWindows(inputs: WindowInput[], options: DecodeOptions): Promise<WindowResult[]> {
    const prompt = this.promptTokens(options);
    const temperatures = options.temperatures ?? [0, 0.2, 0.4, 0.6, 0.8, 1.0];
    return Promise.all(
      inputs.map(async (input, index) =>
        this.decodeWindow(await this.encoder.encode(input, options.urgent), samplesOf(input), {
          prompt,
          temperatures,
          options,
          index,
        }),
      ),
    );
  }

  /** One window, temperature after temperature until its output passes (or the last one). */
  private async decodeWindow(
    encoded: EncodedRow,
    window: Float32Array,
    context: { prompt: number[]; temperatures: number[]; options: DecodeOptions; index: number },
  ): Promise<WindowResult> {
    const { prompt, temperatures, options } = context;
    // Each window samples from its own stream: its output does not depend on what it was batched with.
    const random = mulberry32(((options.seed ?? 0) + Math.imul(context.index, 0x9e3779b9)) >>> 0);
    for (const [attempt, temperature] of temperatures.entries()) {
      const request = {
        ...encoded,
        prompt,
        withTimestamps: options.withTimestamps,
        temperature,
        random,
        strictTimestamps: this.options.timestampRules !== 'transformers.js',
        ...(options.maxNewTokens ? { maxNewTokens: options.maxNewTokens } : {}),
        ...(options.withWords ? { alignment: this.alignmentFor(window) } : {}),
        ...(options.urgent ? { urgent: true } : {}),
      };
      // The op applies openai/whisper's timestamp rules (not Transformers.js's) and does not sample.
      const op = this.options.beamSearch;
      const sequence =
        op && temperature === 0 && (request.strictTimestamps || !request.withTimestamps)
          ? await op.decode(request)
          : await this.loop.decode(request);
      const last = attempt === temperatures.length - 1;
      const result = this.toResult(sequence, window.length / SAMPLE_RATE, temperature, last);
      if (!last && needsFallback(result, this.options.thresholds ?? DEFAULT_THRESHOLDS)) continue;
      // Only a result that is kept is worth aligning.
      if (options.withWords)
        result.words = this.words(sequence, result.tokens, {
          promptLength: prompt.length,
          language: options.language,
        });
      return result;
    }
    throw new Error('no temperature to decode at');
  }
}
