import { HOP_LENGTH, N_FFT, N_FREQ_BINS } from '../audio/whisper-audio.js';
import { periodicHann } from '../log-mel/hann-window.js';
import { slaneyMelFilters } from '../log-mel/mel-filters.js';
import { PowerSpectrum } from '../log-mel/power-spectrum.js';

/** 25 ms frames every 10 ms: the usual speech framing, on Whisper's own FFT size at 16 kHz. */
export const MFCC_HOP = HOP_LENGTH;
const N_MELS = 40;
/** Cepstra 1..19: c0 is loudness, which says more about the microphone than about the voice. */
export const N_CEPSTRA = 19;

/** One frame: cepstra c1..c19 and its RMS level (to skip pauses inside speech). */
export type MfccFrameSink = (cepstra: Float64Array, rms: number) => void;

/**
 * Mel-frequency cepstral coefficients over a stream of 16 kHz blocks of any size. Holds less than one
 * frame of audio between pushes; frame n covers samples [n·160, n·160 + 400), whatever the block split.
 */
export class MfccStream {
  private readonly spectrum = new PowerSpectrum(N_FFT, periodicHann(N_FFT));
  private readonly filters = slaneyMelFilters(N_MELS);
  private readonly power = new Float64Array(N_FREQ_BINS);
  private readonly logMel = new Float64Array(N_MELS);
  private readonly dct: Float64Array;
  private readonly frame = new Float32Array(N_FFT);
  private pending = new Float32Array(0);
  frames = 0;
  /** Frames whose spectrum was computed (the rest were below minRms). */
  spectra = 0;

  /** Handed to the sink for frames below `minRms`, whose cepstra are not computed. */
  private readonly unset = new Float64Array(N_CEPSTRA);

  /**
   * `minRms`: frames quieter than this get no spectrum (their cepstra are zeros), for sinks that
   * ignore them anyway; it is what makes hours of silence cheap.
   */
  constructor(
    private readonly sink: MfccFrameSink,
    private readonly minRms = 0,
  ) {
    // Orthonormal DCT-II rows 1..N_CEPSTRA.
    this.dct = new Float64Array(N_CEPSTRA * N_MELS);
    for (let c = 0; c < N_CEPSTRA; c++) {
      for (let m = 0; m < N_MELS; m++) {
        this.dct[c * N_MELS + m] = Math.sqrt(2 / N_MELS) * Math.cos((Math.PI * (c + 1) * (m + 0.5)) / N_MELS);
      }
    }
  }

  push(block: Float32Array): void {
    const joined = new Float32Array(this.pending.length + block.length);
    joined.set(this.pending);
    joined.set(block, this.pending.length);
    let at = 0;
    for (; at + N_FFT <= joined.length; at += MFCC_HOP) this.emit(joined, at);
    this.pending = joined.slice(at);
  }

  private emit(samples: Float32Array, at: number): void {
    this.frame.set(samples.subarray(at, at + N_FFT));
    let energy = 0;
    for (let i = 0; i < N_FFT; i++) energy += this.frame[i]! * this.frame[i]!;
    const rms = Math.sqrt(energy / N_FFT);
    if (rms < this.minRms) {
      this.frames++;
      this.sink(this.unset, rms);
      return;
    }
    this.spectra++;
    this.spectrum.compute(this.frame, 0, this.power);
    for (let m = 0; m < N_MELS; m++) {
      let sum = 0;
      const row = m * N_FREQ_BINS;
      for (let k = 0; k < N_FREQ_BINS; k++) sum += this.filters[row + k]! * this.power[k]!;
      this.logMel[m] = Math.log(sum + 1e-10);
    }
    const cepstra = new Float64Array(N_CEPSTRA);
    for (let c = 0; c < N_CEPSTRA; c++) {
      let sum = 0;
      for (let m = 0; m < N_MELS; m++) sum += this.dct[c * N_MELS + m]! * this.logMel[m]!;
      cepstra[c] = sum;
    }
    this.frames++;
    this.sink(cepstra, rms);
  }
}
