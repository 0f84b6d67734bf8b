import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { PowerSpectrum } from '../log-mel/power-spectrum.js';

const FRAME = 400;
const SHIFT = 160;
const FFT = 512;
const BINS = FFT / 2 + 1;
const PREEMPHASIS = 0.97;
const LOW_HZ = 20;
const HIGH_HZ = 8000;

const melOf = (hz: number) => 1127 * Math.log(1 + hz / 700);

/** Kaldi's triangular filters, spaced evenly on the HTK mel scale, over the 512-point FFT bins. */
function kaldiMelBanks(nMels: number): Float64Array {
  const banks = new Float64Array(nMels * BINS);
  const lo = melOf(LOW_HZ);
  const step = (melOf(HIGH_HZ) - lo) / (nMels + 1);
  for (let m = 0; m < nMels; m++) {
    const left = lo + m * step;
    const centre = left + step;
    const right = centre + step;
    for (let k = 0; k < BINS; k++) {
      const mel = melOf((k * SAMPLE_RATE) / FFT);
      if (mel > left && mel < right) {
        banks[m * BINS + k] =
          mel <= centre ? (mel - left) / (centre - left) : (right - mel) / (right - centre);
      }
    }
  }
  return banks;
}

/**
 * Log mel filter-bank energies as Kaldi's `compute-fbank-feats` (and torchaudio.compliance.kaldi.fbank,
 * which WeSpeaker's models are trained on) makes them: 16-bit scale, 25 ms frames every 10 ms without
 * edge padding, DC removal, pre-emphasis 0.97, Hamming window, 512-point FFT, no dither; then the
 * per-utterance mean is subtracted (CMN) as WeSpeaker does. Returns [frames][nMels] row-major.
 */
export function kaldiFbank(samples: Float32Array, nMels = 80): { frames: number; data: Float32Array } {
  const frames = samples.length < FRAME ? 0 : 1 + Math.floor((samples.length - FRAME) / SHIFT);
  const data = new Float32Array(frames * nMels);
  if (frames === 0) return { frames, data };
  const banks = kaldiMelBanks(nMels);
  const spectrum = new PowerSpectrum(FFT, new Float64Array(FFT).fill(1));
  const hamming = Float64Array.from(
    { length: FRAME },
    (_, n) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (FRAME - 1)),
  );
  const frame = new Float32Array(FFT);
  const work = new Float64Array(FRAME);
  const power = new Float64Array(BINS);
  for (let f = 0; f < frames; f++) {
    let mean = 0;
    for (let i = 0; i < FRAME; i++) {
      work[i] = samples[f * SHIFT + i]! * 32768;
      mean += work[i]!;
    }
    mean /= FRAME;
    for (let i = 0; i < FRAME; i++) work[i] = work[i]! - mean;
    for (let i = FRAME - 1; i > 0; i--) work[i] = work[i]! - PREEMPHASIS * work[i - 1]!;
    work[0] = work[0]! * (1 - PREEMPHASIS);
    frame.fill(0);
    for (let i = 0; i < FRAME; i++) frame[i] = work[i]! * hamming[i]!;
    spectrum.compute(frame, 0, power);
    for (let m = 0; m < nMels; m++) {
      let energy = 0;
      for (let k = 0; k < BINS; k++) energy += banks[m * BINS + k]! * power[k]!;
      data[f * nMels + m] = Math.log(Math.max(energy, Number.EPSILON));
    }
  }
  for (let m = 0; m < nMels; m++) {
    let mean = 0;
    for (let f = 0; f < frames; f++) mean += data[f * nMels + m]!;
    mean /= frames;
    for (let f = 0; f < frames; f++) data[f * nMels + m] = data[f * nMels + m]! - mean;
  }
  return { frames, data };
}
