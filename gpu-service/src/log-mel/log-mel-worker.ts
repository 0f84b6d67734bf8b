/** Worker thread entry: turns 30 s windows into log-mel features with one LogMelKernel. */
import { workerData } from 'node:worker_threads';
import { N_SAMPLES } from '../audio/whisper-audio.js';
import { LogMelKernel } from './log-mel-kernel.js';
import { serveJobs } from './worker-protocol.js';

export interface LogMelWorkerData {
  nMels: number;
}

export interface LogMelJobResult {
  features: Float32Array;
  /** The input buffer, handed back so the main thread can reuse it for the next window. */
  audio: Float32Array;
}

const kernel = new LogMelKernel((workerData as LogMelWorkerData).nMels);

// A cold kernel takes several times longer on its first windows while V8 optimises it; pay
// that before reporting ready rather than on the first request. Noise, because all-zero
// frames would skip the FFT and leave it cold.
let seed = 1;
const warmUp = Float32Array.from({ length: N_SAMPLES }, () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32 - 0.5;
});
for (let i = 0; i < 2; i++) kernel.compute(warmUp);

serveJobs<Float32Array, LogMelJobResult>((audio) => {
  const features = kernel.compute(audio);
  return {
    value: { features, audio },
    transfer: [features.buffer as ArrayBuffer, audio.buffer as ArrayBuffer],
  };
});
