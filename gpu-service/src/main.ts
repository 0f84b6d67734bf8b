import { serve } from '@hono/node-server';
import { createLogger } from '@whisper-edge/shared/logging';
import { WebSocketServer } from 'ws';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { diarizerFactory } from './diarization/create-diarizer.js';
import { neuralFactory } from './diarization/neural-models.js';
import { Admission } from './http/admission.js';
import { RealtimeCapacity } from './http/realtime-capacity.js';
import { missingCudaProviderHint } from './models/cuda-provider.js';
import { ModelManager } from './models/model-manager.js';
import { ModelRegistry } from './models/model-registry.js';

const logger = createLogger('gpu-service');
/** Start-up and model messages; request work logs through `logger` with its request id. */
const log = (message: string) => logger.info(message);
const config = loadConfig();
// A GPU host installed without onnxruntime's CUDA provider would run on the CPU without saying why.
const cudaHint = missingCudaProviderHint(config.DEVICE);
if (cudaHint) logger.warn(cudaHint);
const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
const models = new ModelRegistry({
  defaultModel: config.WHISPER_MODEL,
  allowed: list(config.WHISPER_MODELS),
  idleTtlMs: config.MODEL_IDLE_TTL_SECONDS * 1000,
  create: (id) =>
    new ModelManager({
      model: id,
      modelDir: config.MODEL_DIR,
      device: config.DEVICE,
      dtype: config.DTYPE,
      hubTimeoutMs: config.HUB_TIMEOUT_MS,
      batchSize: config.BATCH_SIZE,
      engineWorkers: config.ENGINE_WORKERS,
      engineThreads: config.ENGINE_THREADS,
      vad: config.VAD,
      remoteHost: config.HF_ENDPOINT?.replace(/\/?$/, '/'),
      log,
    }),
});
const neural =
  config.DIARIZATION_SEGMENTATION_MODEL && config.DIARIZATION_EMBEDDING_MODEL
    ? neuralFactory({
        segmentation: config.DIARIZATION_SEGMENTATION_MODEL,
        embedding: config.DIARIZATION_EMBEDDING_MODEL,
        modelDir: config.MODEL_DIR,
        device: config.DEVICE,
        remoteHost: config.HF_ENDPOINT,
        hubTimeoutMs: config.HUB_TIMEOUT_MS,
        log,
      })
    : undefined;
const diarizers = diarizerFactory(neural);
const admission = new Admission({
  maxConcurrent: config.MAX_CONCURRENT_REQUESTS,
  maxQueue: config.MAX_QUEUED_REQUESTS,
});

const realtime = new RealtimeCapacity(config.MAX_REALTIME_SESSIONS);
// Live sessions' audio arrives in small frames; 1 MiB is half a minute of 16 kHz PCM16 in one.
const websockets = new WebSocketServer({ noServer: true, maxPayload: 1024 ** 2 });

const server = serve(
  {
    fetch: createApp({ config, models, diarizers, admission, realtime, log: logger }).fetch,
    port: config.PORT,
    hostname: config.HOST,
    websocket: { server: websockets },
  },
  (info) => {
    log(`listening on http://${info.address}:${info.port} (model ${config.WHISPER_MODEL})`);
  },
);

// Warm the models at start so the first request does not pay for loading; failures show on /health.
models
  .preload(list(config.PRELOAD_MODELS ?? config.WHISPER_MODEL))
  .catch((error: Error) => log(error.message));
// The neural diarization models too (downloaded once into MODEL_DIR): diarized requests that arrive
// while they load wait for them; if they cannot load, the acoustic backend answers.
if (neural) void neural.preload();
else log('neural diarization disabled (DIARIZATION_*_MODEL empty): the acoustic backend answers');

let stopping = false;

/**
 * SIGTERM drains: new work is refused with 503 (the edge or a load balancer retries elsewhere) while
 * everything already admitted finishes; then the process exits. A second signal exits at once.
 */
async function shutdown(signal: string) {
  if (stopping) process.exit(1);
  stopping = true;
  log(
    `${signal}: draining ${admission.inFlight} running and ${admission.queued} queued requests, closing ${realtime.sessions} live sessions`,
  );
  // The edge moves each live session to another service, replaying its open utterance.
  realtime.drain();
  const deadline = setTimeout(() => {
    log('drain timed out; exiting');
    process.exit(1);
  }, config.DRAIN_TIMEOUT_MS);
  deadline.unref();
  await admission.drain();
  server.close(() => process.exit(0));
  // Idle keep-alive connections would hold close() open.
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
