/**
 * One streaming transcription of `minutes` of synthetic audio (the speech clip once a minute, silence
 * between) through the real GPU-service path — VAD, window assembly, engine — with the generated test
 * model, generated block by block so the input itself takes no memory. Prints peak RSS as JSON.
 * Run in a fresh process per size (see memory-bench.ts): peak RSS is per process.
 */

import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { diarizerFactory } from '@whisper-edge/gpu-service/diarization/create-diarizer';
import { ModelManager } from '@whisper-edge/gpu-service/models/model-manager';
import { Transcriber } from '@whisper-edge/gpu-service/transcription/transcribe';
import { ensureTestModel } from '../test-model.js';
import { speechClipSamples } from '../test-support/speech-clip.js';

const minutes = Number(process.argv[2] ?? 10);

const clip = speechClipSamples();

async function* blocks(): AsyncGenerator<Float32Array> {
  for (let minute = 0; minute < minutes; minute++) {
    for (let second = 0; second < 60; second++) {
      const block = new Float32Array(SAMPLE_RATE);
      const from = second * SAMPLE_RATE;
      // The clip sits at the start of every minute; the rest is silence.
      if (from < clip.length) block.set(clip.subarray(from, Math.min(clip.length, from + SAMPLE_RATE)));
      yield block;
    }
  }
}

const dir = await ensureTestModel();
const model = await new ModelManager({ model: dir, modelDir: dir, device: 'cpu', hubTimeoutMs: 1000 }).get();
const started = performance.now();
let maxRetained = 0;
const result = await new Transcriber({ diarizers: diarizerFactory() }).transcribeStream(
  model,
  blocks(),
  { task: 'transcribe', language: 'en' },
  {
    temperatures: [0],
    onRetained: (samples) => {
      maxRetained = Math.max(maxRetained, samples);
    },
  },
);
console.log(
  JSON.stringify({
    minutes,
    seconds: (performance.now() - started) / 1000,
    segments: result.segments.length,
    duration: result.duration,
    maxRetainedSeconds: maxRetained / SAMPLE_RATE,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
