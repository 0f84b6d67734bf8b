/**
 * One 30 s window → Whisper's normalised log-mel, [nMels][3000] row-major. Synchronous and
 * CPU-bound: it runs inside worker threads (see log-mel-worker.ts), never on the event loop.
 *
 * Mirrors Transformers.js's WhisperFeatureExtractor step for step, including where it rounds
 * to float32, so results agree to float32 precision rather than merely "closely":
 * centred frames with reflect padding, periodic Hann, float64 FFT, |X|² stored as float32,
 * float32 mel filters, floor 1e-10, log10, clamp to (window max − 8), then (x + 4) / 4.
 */

import { HOP_LENGTH, N_FFT, N_FRAMES, N_SAMPLES } from '../audio/whisper-audio.js';
import { log10OfFloat32Bits } from './float32-log10.js';
import { periodicHann } from './hann-window.js';
import { type SparseMelFilters, sparseMelFilters } from './mel-filters.js';
import { PowerSpectrum } from './power-spectrum.js';

const PAD = N_FFT / 2;
const MEL_FLOOR = 1e-10;
/** 80 dB below the window's loudest mel value, in log10 units. */
const DYNAMIC_RANGE = 8;

export class LogMelKernel {
  private readonly filters: SparseMelFilters;
  private readonly spectrum = new PowerSpectrum(N_FFT, periodicHann(N_FFT));
  private readonly power: Float64Array;
  private readonly padded = new Float32Array(N_SAMPLES + 2 * PAD);

  constructor(readonly nMels: number) {
    this.filters = sparseMelFilters(nMels);
    this.power = new Float64Array(this.spectrum.bins);
  }

  /** `audio` is one window of exactly N_SAMPLES (already zero-padded or truncated). */
  compute(audio: Float32Array): Float32Array {
    if (audio.length !== N_SAMPLES) throw new Error(`expected ${N_SAMPLES} samples, got ${audio.length}`);
    this.reflectPad(audio);
    // Pass 1 leaves floored float32 mel power in `out`; pass 2 turns it into log-mel in place.
    const out = new Float32Array(this.nMels * N_FRAMES);
    const peakPower = this.melPower(out);
    this.normalise(out, peakPower);
    return out;
  }

  /** Floored mel power, [mel][frame], as the reference holds it (float32). Returns the maximum. */
  private melPower(out: Float32Array): number {
    const { nMels, start, end, weights } = this.filters;
    const floor = Math.fround(MEL_FLOOR);
    // Every value is at least the floor, so an all-silent window peaks at the floor too.
    let peak = floor;
    // Centred framing gives N_FRAMES + 1 frames; like the reference, keep the first N_FRAMES.
    for (let frame = 0; frame < N_FRAMES; frame++) {
      const offset = frame * HOP_LENGTH;
      // Zero padding of a short window is all-zero frames: their power is exactly 0, so the
      // FFT can be skipped without changing a bit of the result.
      if (this.isSilent(offset)) {
        for (let m = 0; m < nMels; m++) out[m * N_FRAMES + frame] = floor;
        continue;
      }
      this.spectrum.compute(this.padded, offset, this.power);
      let w = 0;
      for (let m = 0; m < nMels; m++) {
        let mel = 0;
        for (let k = start[m]!; k < end[m]!; k++) mel += weights[w++]! * this.power[k]!;
        const power = Math.fround(Math.max(MEL_FLOOR, Math.fround(mel)));
        out[m * N_FRAMES + frame] = power;
        if (power > peak) peak = power;
      }
    }
    return peak;
  }

  /** log10, clamp to (window maximum − 8), then (x + 4) / 4, in float32 steps like the reference. */
  private normalise(out: Float32Array, peakPower: number): void {
    const bits = new Int32Array(out.buffer, out.byteOffset, out.length);
    // log10 is monotonic, so the peak log-mel is the log of the peak power. The clamp is
    // relative to this window's own maximum.
    const threshold = Math.fround(Math.log10(peakPower)) - DYNAMIC_RANGE;
    for (let i = 0; i < out.length; i++) {
      const logMel = Math.fround(log10OfFloat32Bits(bits[i]!, out[i]!));
      out[i] = (Math.max(logMel, threshold) + 4) / 4;
    }
  }

  private isSilent(offset: number): boolean {
    const p = this.padded;
    for (let j = offset; j < offset + N_FFT; j++) if (p[j] !== 0) return false;
    return true;
  }

  /** numpy-style "reflect" padding (edge sample not repeated) of N_FFT/2 on both sides. */
  private reflectPad(audio: Float32Array): void {
    const p = this.padded;
    p.set(audio, PAD);
    const last = audio.length - 1;
    for (let i = 1; i <= PAD; i++) {
      p[PAD - i] = audio[i]!;
      p[PAD + last + i] = audio[last - i]!;
    }
  }
}
