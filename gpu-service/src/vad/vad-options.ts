import { SAMPLE_RATE } from '../audio/sample-rate.js';
/** Silero VAD v5 works on 16 kHz audio in fixed frames; the model and these numbers belong together. */
export const FRAME_SAMPLES = 512;
/** v5 expects each frame prefixed by the previous frame's last 64 samples (576 in all). */
export const CONTEXT_SAMPLES = 64;

/** A half-open span [start, end) of the source audio, in samples at 16 kHz. */
export interface SpeechSegment {
  start: number;
  end: number;
}

/** Mirrors faster-whisper's VadOptions, so values tuned there carry over. */
export interface VadOptions {
  /** A frame at or above this probability is speech. */
  threshold: number;
  /** Speech only ends below this (hysteresis), so a dip to just under `threshold` does not end it. */
  negThreshold: number;
  /** Shorter detections are dropped: clicks and breaths make Whisper hallucinate. */
  minSpeechDurationMs: number;
  /** A pause must last this long to end a segment. faster-whisper uses 2000; 500 splits at sentences. */
  minSilenceDurationMs: number;
  /** Added on both sides so word onsets and tails are not clipped (halved where segments are close). */
  speechPadMs: number;
  /** Including padding, no segment is longer than this, so each fits one Whisper window. */
  maxSpeechDurationS: number;
}

export const DEFAULT_VAD_OPTIONS: Readonly<Omit<VadOptions, 'negThreshold'>> = {
  threshold: 0.5,
  minSpeechDurationMs: 250,
  minSilenceDurationMs: 500,
  speechPadMs: 200,
  maxSpeechDurationS: 30,
};

/** The options in frame/sample units, which is what the segmenter counts in. */
export interface SegmenterLimits {
  threshold: number;
  negThreshold: number;
  minSpeechSamples: number;
  minSilenceSamples: number;
  padSamples: number;
  /** Longest unpadded segment, so that after padding it is still within maxSpeechDurationS. */
  maxRawSamples: number;
}

export function resolveVadOptions(options: Partial<VadOptions> = {}): SegmenterLimits {
  const merged = { ...DEFAULT_VAD_OPTIONS, ...options };
  const negThreshold = options.negThreshold ?? Math.max(merged.threshold - 0.15, 0.01);
  const ms = (value: number) => Math.round((value * SAMPLE_RATE) / 1000);
  const padSamples = ms(merged.speechPadMs);
  const maxRawSamples = Math.floor(merged.maxSpeechDurationS * SAMPLE_RATE) - 2 * padSamples;
  if (!(merged.threshold > 0 && merged.threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
  if (!(negThreshold > 0 && negThreshold <= merged.threshold)) {
    throw new RangeError('negThreshold must be in (0, threshold]');
  }
  if (!(merged.minSpeechDurationMs >= 0 && merged.minSilenceDurationMs >= 0 && merged.speechPadMs >= 0)) {
    throw new RangeError('durations must not be negative');
  }
  // Below one frame the splitter could not make progress.
  if (!(maxRawSamples >= FRAME_SAMPLES)) {
    throw new RangeError('maxSpeechDurationS must exceed twice speechPadMs by at least one frame (32 ms)');
  }
  return {
    threshold: merged.threshold,
    negThreshold,
    minSpeechSamples: ms(merged.minSpeechDurationMs),
    minSilenceSamples: ms(merged.minSilenceDurationMs),
    padSamples,
    maxRawSamples,
  };
}
