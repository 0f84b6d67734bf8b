import { ApiError } from '@whisper-edge/shared';
import { N_SAMPLES } from '../audio/whisper-audio.js';
import type { LoadedModel } from '../models/model-manager.js';
import type { ModelEngine } from '../transcription/model-engine.js';
import { PRIORITY } from '../whisper/batch-scheduler.js';

/** What one utterance is decoded with, fixed when it starts. */
export interface LiveDecodeOptions {
  language: string;
  prompt?: string | undefined;
  /** Final decodes only: Whisper's fallback ladder by default; `[0]` turns fallback off. */
  temperatures?: number[] | undefined;
}

/**
 * Longest partial hypothesis asked for: a 30 s window of fast speech is ≈ 150 tokens. Keeps a decode
 * that loops (random weights, noise) from spending 448 steps of a live session's budget.
 */
const PARTIAL_MAX_TOKENS = 160;

/**
 * A loaded model as live sessions use it: partial decodes (greedy, no timestamps, continuing from the
 * agreed tokens) and final ones (Whisper's full decode with temperature fallback, as files get), both
 * through the model's shared batch scheduler at live priority, so they go ahead of batch windows.
 */
export class LiveEngine {
  constructor(
    readonly model: LoadedModel,
    private readonly engine: ModelEngine,
  ) {}

  get multilingual(): boolean {
    return this.model.whisper.multilingual;
  }

  /** The language to decode in: the one asked for, English on an English-only model, else detected. */
  async language(asked: string | undefined, audio: Float32Array): Promise<string> {
    if (!this.multilingual) {
      if (asked && asked !== 'en')
        throw new ApiError(
          400,
          `Model '${this.model.name}' is English-only: it cannot transcribe '${asked}'`,
          {
            code: 'unsupported_language',
            param: 'language',
          },
        );
      return 'en';
    }
    if (asked) return asked;
    return (await this.engine.engine.detectLanguage(audio.subarray(0, N_SAMPLES))).language;
  }

  /** The text tokens a greedy decode of `audio` adds after `prefix` (none when it hears no speech). */
  async partial(
    audio: Float32Array,
    options: LiveDecodeOptions,
    prefix: readonly number[],
  ): Promise<number[]> {
    const [result] = await this.engine.scheduler.transcribeWindows(
      [audio.subarray(0, N_SAMPLES)],
      {
        language: options.language,
        task: 'transcribe',
        prompt: options.prompt,
        withTimestamps: false,
        temperatures: [0],
        maxNewTokens: PARTIAL_MAX_TOKENS,
        prefixTokens: [...prefix],
      },
      PRIORITY.livePartial,
    );
    if (!result || result.silent) return [];
    const eot = this.engine.vocab.eot;
    const end = result.tokens.findIndex((t) => t >= eot);
    return end < 0 ? result.tokens : result.tokens.slice(0, end);
  }

  /** One full decode per ≤ 30 s of the utterance, joined; silent windows add nothing. */
  async final(audio: Float32Array, options: LiveDecodeOptions): Promise<string> {
    const windows: Float32Array[] = [];
    for (let at = 0; at < audio.length; at += N_SAMPLES) windows.push(audio.subarray(at, at + N_SAMPLES));
    const results = await this.engine.scheduler.transcribeWindows(
      windows,
      {
        language: options.language,
        task: 'transcribe',
        prompt: options.prompt,
        withTimestamps: true,
        ...(options.temperatures ? { temperatures: options.temperatures } : {}),
      },
      PRIORITY.liveFinal,
    );
    return results
      .filter((r) => !r.silent)
      .map((r) => r.text.trim())
      .filter(Boolean)
      .join(' ');
  }

  textOf(tokens: readonly number[]): string {
    return this.model.whisper.tokenizer.decode([...tokens], { skip_special_tokens: true });
  }
}
