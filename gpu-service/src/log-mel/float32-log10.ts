/**
 * log10 of positive, finite float32 values, read from their bit patterns: about 4× faster
 * than Math.log10 and, at ~1e-13 relative error, the same after rounding to float32 in all
 * but (rare) exact rounding ties. The log is the costliest step left once the FFT is fast.
 *
 * x = 2^e · m with m in [1, 2); m = c·(1 + r) where c = 1 + i/256 is the table point below m
 * (the top 8 mantissa bits), so log10 x = e·log10 2 + log10 c + log10(1 + r), r < 1/256,
 * and four terms of the log1p series suffice.
 */

const TABLE_BITS = 8;
const LOW_BITS = 23 - TABLE_BITS;
const LOW_MASK = (1 << LOW_BITS) - 1;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const MANTISSA_ULP = 2 ** -23;
const LOG10_2 = Math.log10(2);

/** log10 of each table point c, and 2^-23 / c, so r = (low mantissa bits) · that. */
const LOG10_C = new Float64Array(1 << TABLE_BITS);
const ULP_OVER_C = new Float64Array(1 << TABLE_BITS);
for (let i = 0; i <= TABLE_MASK; i++) {
  const c = 1 + i / (1 << TABLE_BITS);
  LOG10_C[i] = Math.log10(c);
  ULP_OVER_C[i] = MANTISSA_ULP / c;
}

/**
 * `bits`: a float32's bit pattern (e.g. through an Int32Array view of a Float32Array).
 * Zero, negatives, subnormals, infinities and NaN fall back to Math.log10.
 */
export function log10OfFloat32Bits(bits: number, value: number): number {
  const biasedExponent = (bits >>> 23) & 0xff;
  if (bits <= 0 || biasedExponent === 0 || biasedExponent === 0xff) return Math.log10(value);
  const index = (bits >>> LOW_BITS) & TABLE_MASK;
  const r = (bits & LOW_MASK) * ULP_OVER_C[index]!;
  // log10(1 + r) = log10(e) · (r − r²/2 + r³/3 − r⁴/4 + …); the next term is below 2e-13.
  const log1p = r * (1 - r * (1 / 2 - r * (1 / 3 - r / 4)));
  return (biasedExponent - 127) * LOG10_2 + LOG10_C[index]! + log1p * Math.LOG10E;
}
