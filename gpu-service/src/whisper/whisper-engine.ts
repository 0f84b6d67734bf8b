import { ApiError } from '@whisper-edge/shared';
import * as ort from 'onnxruntime-node';
import type { LoadedModel } from '../models/model-manager.js';
import { tokenStartTimes } from './cross-attention-dtw.js';
import {
  type AlignmentRequest,
  type DecodedSequence,
  type DecoderShape,
  decodeBatch,
} from './decoder-runner.js';
import {
  compressionRatio,
  DEFAULT_THRESHOLDS,
  isSilent,
  needsFallback,
  type QualityThresholds,
} from './quality.js';
import { collapseLoops, findLoop, keptAfterCollapse } from './repetition.js';
import { tokensToSegments } from './token-segments.js';
import { readVocab, type WhisperVocab } from './whisper-vocab.js';
import { groupWords, writesWithoutSpaces } from './word-grouping.js';

/** Turns 16 kHz windows (≤ 30 s) into log-mel features, [n_mels × 3000] each. */
export interface FeatureExtractor {
  extract(windows: Float32Array[]): Promise<Float32Array[]>;
}

export interface DecodeOptions {
  language: string | undefined;
  task: 'transcribe' | 'translate';
  prompt?: string | undefined;
  withTimestamps: boolean;
  /** Temperatures tried in turn while a window's output looks like a failure (Whisper's fallback). */
  temperatures?: number[];
  maxNewTokens?: number;
  seed?: number;
  /** Word timestamps, aligned from the same decode's cross-attention (costs a little memory and CPU). */
  withWords?: boolean;
}

export interface WindowSegment {
  start: number;
  end: number;
  text: string;
  tokens: number[];
}

export interface WindowWord {
  /** As decoded, with its leading space. */
  word: string;
  /**
   * Window seconds. Under `timestampRules: 'transformers.js'` the alignment spans the whole 30 s
   * input, as Transformers.js's does, so times can lie past the window's audio.
   */
  start: number;
  end: number;
}

export interface WindowResult {
  tokens: number[];
  text: string;
  segments: WindowSegment[];
  temperature: number;
  avgLogprob: number;
  compressionRatio: number;
  noSpeechProb: number;
  silent: boolean;
  /** With `withWords`. */
  words?: WindowWord[];
}

interface ModelConfigLike {
  decoder_layers: number;
  decoder_attention_heads: number;
  d_model: number;
  num_mel_bins: number;
  median_filter_width?: number;
}

interface TokenizerLike {
  convert_tokens_to_ids(token: string): number | undefined | null;
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
}

const SAMPLE_RATE = 16_000;
/** Audio samples per encoder frame (hop 160, then the encoder's stride of 2). */
const SAMPLES_PER_FRAME = 320;
const MAX_PROMPT_TOKENS = 223;

/** A tiny seeded generator, so sampled fallbacks are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Our Whisper decoding on the model's own onnxruntime sessions: windows are encoded and decoded in
 * batches (Transformers.js's pipeline does one window at a time), with Whisper's quality guards —
 * temperature fallback on repetitive or unconfident output, and no-speech detection.
 */
export class WhisperEngine {
  readonly vocab: WhisperVocab;
  private readonly shape: DecoderShape;
  private readonly encoder: ort.InferenceSession;
  private readonly decoder: ort.InferenceSession;
  private readonly tokenizer: TokenizerLike;
  private readonly nMels: number;
  private readonly alignmentHeads: Array<[number, number]> | undefined;
  private readonly medianWidth: number;

  constructor(
    model: LoadedModel,
    private readonly features: FeatureExtractor,
    private readonly options: {
      batchSize: number;
      thresholds?: QualityThresholds;
      /** `transformers.js` reproduces its looser timestamp rules exactly (for comparisons). */
      timestampRules?: 'openai' | 'transformers.js';
    },
  ) {
    const pretrained = model.transcriber.model as unknown as {
      sessions: Record<string, ort.InferenceSession>;
      config: ModelConfigLike;
      generation_config: Parameters<typeof readVocab>[0] & { alignment_heads?: Array<[number, number]> };
    };
    this.tokenizer = model.transcriber.tokenizer as unknown as TokenizerLike;
    this.vocab = readVocab(pretrained.generation_config, this.tokenizer);
    const config = pretrained.config;
    this.shape = {
      layers: config.decoder_layers,
      heads: config.decoder_attention_heads,
      headDim: config.d_model / config.decoder_attention_heads,
    };
    this.nMels = config.num_mel_bins;
    this.alignmentHeads = pretrained.generation_config.alignment_heads ?? undefined;
    this.medianWidth = config.median_filter_width ?? 7;
    this.encoder = pretrained.sessions.model!;
    this.decoder = pretrained.sessions.decoder_model_merged!;
  }

  /** The prompt: optional previous text (<|startofprev|> …), then <|sot|> language task [notimestamps]. */
  promptTokens(options: DecodeOptions): number[] {
    const tokens: number[] = [];
    if (options.prompt?.trim() && this.vocab.startOfPrev !== undefined) {
      const text = this.tokenizer.encode(` ${options.prompt.trim()}`, { add_special_tokens: false });
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
    return tokens;
  }

  private async encode(windows: Float32Array[]): Promise<ort.Tensor> {
    const features = await this.features.extract(windows);
    const frame = this.nMels * 3000;
    const data = new Float32Array(features.length * frame);
    features.forEach((f, i) => {
      data.set(f, i * frame);
    });
    const input = new ort.Tensor('float32', data, [features.length, this.nMels, 3000]);
    const { last_hidden_state } = await this.encoder.run({ input_features: input });
    return last_hidden_state!;
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
    const text = this.tokenizer
      .decode(
        tokens.filter((t) => t < this.vocab.eot),
        { skip_special_tokens: true },
      )
      .trim();
    const segments = tokensToSegments(tokens, this.vocab, windowSeconds).map((s) => ({
      ...s,
      text: this.tokenizer.decode(s.tokens, { skip_special_tokens: true }),
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
    return groupWords(tokens, kept ? kept.map((i) => times[i]!) : times, this.vocab, {
      decode: (ids) => this.tokenizer.decode(ids),
      // Transformers.js strips the language token before grouping, so it always splits on spaces.
      splitOnCharacters:
        this.options.timestampRules !== 'transformers.js' && writesWithoutSpaces(context.language),
    });
  }

  /** Which heads to keep and how many frames of each window: only the audio's, unless reproducing. */
  private alignmentFor(windows: Float32Array[]): AlignmentRequest {
    if (!this.alignmentHeads?.length)
      throw new Error("the model's generation_config.json has no alignment_heads: word timestamps need them");
    const reproduce = this.options.timestampRules === 'transformers.js';
    return {
      heads: this.alignmentHeads,
      frames: windows.map((w) =>
        reproduce ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(w.length / SAMPLES_PER_FRAME)),
      ),
    };
  }

  /** Decodes windows in batches; windows whose output fails the quality checks are retried hotter. */
  async transcribeWindows(windows: Float32Array[], options: DecodeOptions): Promise<WindowResult[]> {
    const prompt = this.promptTokens(options);
    const temperatures = options.temperatures ?? [0, 0.2, 0.4, 0.6, 0.8, 1.0];
    const random = mulberry32(options.seed ?? 0);
    const results = new Array<WindowResult | undefined>(windows.length);
    let pending = windows.map((_, i) => i);
    for (const [attempt, temperature] of temperatures.entries()) {
      const retry: number[] = [];
      for (let i = 0; i < pending.length; i += this.options.batchSize) {
        const indices = pending.slice(i, i + this.options.batchSize);
        const hidden = await this.encode(indices.map((index) => windows[index]!));
        const decoded = await decodeBatch(this.decoder, hidden, this.vocab, this.shape, {
          prompt,
          withTimestamps: options.withTimestamps,
          temperature,
          random,
          strictTimestamps: this.options.timestampRules !== 'transformers.js',
          ...(options.maxNewTokens ? { maxNewTokens: options.maxNewTokens } : {}),
          ...(options.withWords
            ? { alignment: this.alignmentFor(indices.map((index) => windows[index]!)) }
            : {}),
        });
        decoded.forEach((sequence, k) => {
          const index = indices[k]!;
          const last = attempt === temperatures.length - 1;
          const result = this.toResult(sequence, windows[index]!.length / SAMPLE_RATE, temperature, last);
          results[index] = result;
          if (!last && needsFallback(result, this.options.thresholds ?? DEFAULT_THRESHOLDS))
            retry.push(index);
          // Only a result that is kept is worth aligning.
          else if (options.withWords)
            result.words = this.words(sequence, result.tokens, {
              promptLength: prompt.length,
              language: options.language,
            });
        });
      }
      if (retry.length === 0) break;
      pending = retry;
    }
    return results as WindowResult[];
  }
}

/**
 * Whether a model can give word timestamps: it names its alignment heads and its decoder outputs their
 * layers' cross-attention (exports without `output_attentions` do not).
 */
export function canAlignWords(model: LoadedModel): boolean {
  const pretrained = model.transcriber.model as unknown as {
    sessions: Record<string, ort.InferenceSession>;
    generation_config: { alignment_heads?: Array<[number, number]> | null };
  };
  const heads = pretrained.generation_config.alignment_heads ?? [];
  const outputs = pretrained.sessions.decoder_model_merged?.outputNames ?? [];
  return heads.length > 0 && heads.every(([layer]) => outputs.includes(`cross_attentions.${layer}`));
}

/** Features through Transformers.js's own extractor, one window at a time (the reference). */
export function transformersFeatures(model: LoadedModel): FeatureExtractor {
  return {
    async extract(windows) {
      const out: Float32Array[] = [];
      for (const window of windows) {
        const { input_features } = (await model.transcriber.processor(window)) as {
          input_features: { data: Float32Array };
        };
        out.push(input_features.data);
      }
      return out;
    },
  };
}
