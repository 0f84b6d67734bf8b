/**
 * Whisper's fixed audio framing (the values in every Whisper preprocessor_config.json).
 * The encoder only accepts exactly 3000 frames, so none of these are configurable.
 */
export const N_FFT = 400;
export const HOP_LENGTH = 160;
/** 30 s: every window is zero-padded or truncated to this before framing. */
export const N_SAMPLES = 480_000;
/** N_SAMPLES / HOP_LENGTH. Centred framing yields one more; the last is dropped. */
export const N_FRAMES = 3000;
/** Bins of a one-sided spectrum of an N_FFT-point real signal. */
export const N_FREQ_BINS = N_FFT / 2 + 1;

/** Whisper v1/v2 use 80 mel bins, large-v3 and turbo 128. */
export type MelBins = 80 | 128;
