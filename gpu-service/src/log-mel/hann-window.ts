/** Periodic Hann window (numpy.hanning(N + 1)[:-1]): what Whisper and Transformers.js use for the STFT. */
export function periodicHann(length: number): Float64Array {
  // Same operation order as the reference's generalized cosine window, for bit-identical values.
  const step = (2 * Math.PI) / length;
  return Float64Array.from({ length }, (_, n) => 0.5 - 0.5 * Math.cos(n * step));
}
