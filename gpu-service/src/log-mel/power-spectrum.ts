/**
 * |DFT|² of one windowed real frame of even length N, via an N/2-point complex FFT: even
 * samples go in the real part, odd samples in the imaginary part, and the two interleaved
 * spectra are separated afterwards. Half the work of a complex N-point transform.
 */
import { ComplexFft } from './complex-fft.js';

export class PowerSpectrum {
  readonly bins: number;
  private readonly half: number;
  private readonly fft: ComplexFft;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** e^(−2πik/N) for k = 0..N/2, to recombine the even and odd half-spectra. */
  private readonly wRe: Float64Array;
  private readonly wIm: Float64Array;

  constructor(
    readonly frameLength: number,
    private readonly window: Float64Array,
  ) {
    if (frameLength % 2 !== 0) throw new Error(`frame length ${frameLength} must be even`);
    if (window.length !== frameLength) throw new Error('window length must equal frame length');
    this.half = frameLength / 2;
    this.bins = this.half + 1;
    this.fft = new ComplexFft(this.half);
    this.re = new Float64Array(this.half);
    this.im = new Float64Array(this.half);
    this.wRe = Float64Array.from({ length: this.bins }, (_, k) => Math.cos((-2 * Math.PI * k) / frameLength));
    this.wIm = Float64Array.from({ length: this.bins }, (_, k) => Math.sin((-2 * Math.PI * k) / frameLength));
  }

  /**
   * Windows `samples[offset .. offset + frameLength)` and writes |X_k|², k = 0..N/2, to `out`,
   * each rounded to float32 because the reference stores its power spectrum as float32.
   */
  compute(samples: Float32Array, offset: number, out: Float64Array): void {
    const { re, im, window, half } = this;
    for (let j = 0; j < half; j++) {
      re[j] = samples[offset + 2 * j]! * window[2 * j]!;
      im[j] = samples[offset + 2 * j + 1]! * window[2 * j + 1]!;
    }
    this.fft.transform(re, im);

    // With Z = FFT(even + i·odd): E_k = (Z_k + conj Z_{M−k}) / 2, O_k = (Z_k − conj Z_{M−k}) / 2i,
    // and X_k = E_k + e^(−2πik/N)·O_k.
    for (let k = 0; k <= half; k++) {
      const a = k === half ? 0 : k;
      const b = k === 0 ? 0 : half - k;
      const zr = re[a]!;
      const zi = im[a]!;
      const cr = re[b]!;
      const ci = -im[b]!;
      const er = (zr + cr) / 2;
      const ei = (zi + ci) / 2;
      // (Z − conj Z') / 2i = −i·(Z − conj Z') / 2
      const or = (zi - ci) / 2;
      const oi = -(zr - cr) / 2;
      const wr = this.wRe[k]!;
      const wi = this.wIm[k]!;
      const xr = er + or * wr - oi * wi;
      const xi = ei + or * wi + oi * wr;
      out[k] = Math.fround(xr * xr + xi * xi);
    }
  }
}
