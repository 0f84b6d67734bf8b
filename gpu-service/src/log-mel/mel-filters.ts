/**
 * Slaney-style mel filter bank (librosa's default, htk=False, norm="slaney"), as Whisper
 * and Transformers.js's `mel_filter_bank(..., 'slaney', 'slaney')` define it.
 */

import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { N_FREQ_BINS } from '../audio/whisper-audio.js';

// Slaney's scale is linear below 1 kHz and logarithmic above it.
const LINEAR_LIMIT_HZ = 1000;
const LINEAR_LIMIT_MEL = 15;
const LOG_STEP = Math.log(6.4) / 27;

function hzToMel(hz: number): number {
  return hz >= LINEAR_LIMIT_HZ
    ? LINEAR_LIMIT_MEL + Math.log(hz / LINEAR_LIMIT_HZ) / LOG_STEP
    : (3 * hz) / 200;
}

function melToHz(mel: number): number {
  return mel >= LINEAR_LIMIT_MEL
    ? LINEAR_LIMIT_HZ * Math.exp(LOG_STEP * (mel - LINEAR_LIMIT_MEL))
    : (200 * mel) / 3;
}

/** numpy-style linspace (start + step·i), so grid points round the same way as the reference's. */
function linspace(start: number, end: number, count: number): Float64Array {
  const step = (end - start) / (count - 1);
  return Float64Array.from({ length: count }, (_, i) => start + step * i);
}

/**
 * Triangular filters spanning 0–8 kHz, area-normalised. Returned row-major as
 * [nMels][N_FREQ_BINS] in float64; callers round to float32 where the reference does.
 */
export function slaneyMelFilters(nMels: number, maxHz = SAMPLE_RATE / 2): Float64Array {
  const edgesHz = linspace(hzToMel(0), hzToMel(maxHz), nMels + 2).map(melToHz);
  const binHz = linspace(0, Math.floor(SAMPLE_RATE / 2), N_FREQ_BINS);
  const filters = new Float64Array(nMels * N_FREQ_BINS);
  for (let m = 0; m < nMels; m++) {
    const lo = edgesHz[m]!;
    const mid = edgesHz[m + 1]!;
    const hi = edgesHz[m + 2]!;
    // Constant energy per channel: scale each triangle by 2 / its width in Hz.
    const norm = 2 / (hi - lo);
    for (let k = 0; k < N_FREQ_BINS; k++) {
      const f = binHz[k]!;
      const rising = (f - lo) / (mid - lo);
      const falling = (hi - f) / (hi - mid);
      filters[m * N_FREQ_BINS + k] = Math.max(0, Math.min(rising, falling)) * norm;
    }
  }
  return filters;
}

/** A filter bank keeping only each filter's non-zero span (at most two filters overlap any bin). */
export interface SparseMelFilters {
  nMels: number;
  /** First bin of filter m. */
  start: Int32Array;
  /** One past the last bin of filter m. */
  end: Int32Array;
  /** Filter m's weights for bins start[m]..end[m], concatenated in filter order. */
  weights: Float64Array;
}

/**
 * The Slaney filters rounded to float32 (the reference multiplies with a float32 copy) and
 * stripped of zeros: a dense 80×201 product per frame would be mostly multiplications by 0.
 */
export function sparseMelFilters(nMels: number): SparseMelFilters {
  const dense = slaneyMelFilters(nMels).map(Math.fround);
  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  const weights: number[] = [];
  for (let m = 0; m < nMels; m++) {
    const row = dense.subarray(m * N_FREQ_BINS, (m + 1) * N_FREQ_BINS);
    const first = row.findIndex((w) => w !== 0);
    // A filter narrower than one bin spacing can be all zeros; give it an empty span.
    const lo = first === -1 ? 0 : first;
    const hi = first === -1 ? 0 : row.findLastIndex((w) => w !== 0) + 1;
    start[m] = lo;
    end[m] = hi;
    for (let k = lo; k < hi; k++) weights.push(row[k]!);
  }
  return { nMels, start, end, weights: Float64Array.from(weights) };
}
