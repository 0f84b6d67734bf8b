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
  /**
   * Text tokens forced after the task tokens (openai/whisper's `prefix`): decoding continues from them,
   * and the result holds only what follows. Live partials use it to keep text already shown.
   */
  prefixTokens?: number[];
  /** A live session's decode: it goes into the decoder batch at once, ahead of file work. */
  urgent?: boolean;
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
  /** Mean probability of the word's tokens as decoded (openai/whisper's word probability). */
  probability?: number;
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
