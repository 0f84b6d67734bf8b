/**
 * `/health` while the GPU service is fully loaded, with the engine on the main thread
 * (ENGINE_WORKERS=0) and on a worker (the CPU default): the real app served over HTTP, and in the same
 * process a long transcription (base-sized random model, word timestamps) on the same models. A
 * client in that process asks for /health every 20 ms; each answer's latency is counted from when the
 * request was due, so a blocked event loop counts against it whether it delayed the send or the reply.
 * The job's audio goes in 1 s blocks, as the service feeds ffmpeg's output.
 * A 5 s request is timed alone and again arriving during the job (its window joins the job's in the
 * engine's decode batch: continuous batching, at the default BATCH_SIZE).
 */

import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from '@whisper-edge/gpu-service/app';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { loadConfig } from '@whisper-edge/gpu-service/config';
import { diarizerFactory } from '@whisper-edge/gpu-service/diarization/create-diarizer';
import { ModelManager } from '@whisper-edge/gpu-service/models/model-manager';
import { ModelRegistry } from '@whisper-edge/gpu-service/models/model-registry';
import { Transcriber } from '@whisper-edge/gpu-service/transcription/transcribe';
import { createLogger } from '@whisper-edge/shared/logging';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';
import { benchAudio } from './engine-bench.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PERIOD_MS = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function healthDuringJob(dir: string, engineWorkers: number, audio: Float32Array) {
  const config = loadConfig({
    GPU_SHARED_SECRET: 'bench-secret-of-enough-length',
    WHISPER_MODEL: dir,
    DEVICE: 'cpu',
  });
  const manager = new ModelManager({
    model: dir,
    modelDir: dir,
    device: 'cpu',
    hubTimeoutMs: 1000,
    engineWorkers,
  });
  const models = new ModelRegistry({ defaultModel: dir, allowed: [], idleTtlMs: 0, create: () => manager });
  const diarizers = diarizerFactory();
  const app = createApp({ config, models, diarizers, log: createLogger('bench', () => undefined) });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  try {
    const model = await models.get(undefined);
    const transcriber = new Transcriber({ diarizers });
    // Warm: the engine (and its worker) starts, sessions allocate. Then a 5 s request alone.
    const short = audio.subarray(0, 5 * SAMPLE_RATE);
    // Temperature fallback off: a random model's output would otherwise be retried five times hotter.
    const noFallback = { temperatures: [0] };
    const shortRequest = () =>
      transcriber.transcribe(model, short, { task: 'transcribe', language: 'en' }, noFallback);
    await shortRequest();
    let solo = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      await shortRequest();
      solo = Math.min(solo, performance.now() - t);
    }
    const latencies: number[] = [];
    let running = true;
    // In 1 s blocks, as the service reads ffmpeg's output.
    async function* blocks() {
      for (let s = 0; s < audio.length; s += SAMPLE_RATE) yield audio.subarray(s, s + SAMPLE_RATE);
    }
    const job = transcriber
      .transcribeStream(
        model,
        blocks(),
        { task: 'transcribe', language: 'en', timestamp_granularities: ['word', 'segment'] },
        noFallback,
      )
      .finally(() => {
        running = false;
      });
    const started = performance.now();
    // The same 5 s request, arriving a few seconds into the long job.
    const underLoad = new Promise<number>((resolve, reject) =>
      setTimeout(() => {
        const t = performance.now();
        shortRequest().then(() => resolve(performance.now() - t), reject);
      }, 3000),
    );
    for (let due = started; running; due += PERIOD_MS) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const response = await fetch(url);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`/health answered ${response.status}`);
      latencies.push(performance.now() - due);
      // A late answer moves the schedule on rather than firing a burst to catch up.
      if (performance.now() - due > PERIOD_MS) due = performance.now() - PERIOD_MS;
    }
    await job;
    const loaded = await underLoad;
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      solo,
      loaded,
      seconds,
      count: latencies.length,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1)!,
    };
  } finally {
    server.close();
    await manager.unload();
  }
}

export async function healthUnderLoadBench(minutes = 3): Promise<void> {
  const dir = path.join(root, 'fixtures/models/whisper-base-random');
  await generateTinyWhisper({ outDir: dir, preset: 'base', seed: 3 });
  const audio = benchAudio(minutes);
  console.log(
    `/health every ${PERIOD_MS} ms during a ${minutes}-minute transcription with words (base-sized random model, CPU)`,
  );
  for (const workers of [0, 1]) {
    const r = await healthDuringJob(dir, workers, audio);
    console.log(
      `  ENGINE_WORKERS=${workers} (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs): job ${r.seconds.toFixed(1)} s; /health p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms over ${r.count} requests; a 5 s request alone ${r.solo.toFixed(0)} ms, during the job ${r.loaded.toFixed(0)} ms (${(r.loaded / r.solo).toFixed(2)}x)`,
    );
  }
}
