import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { ModelManager } from './inference/model-manager.js';

const log = (message: string) => console.error(`[gpu-service] ${message}`);
const config = loadConfig();
const models = new ModelManager({
  model: config.WHISPER_MODEL,
  modelDir: config.MODEL_DIR,
  device: config.DEVICE,
  dtype: config.DTYPE,
  hubTimeoutMs: config.HUB_TIMEOUT_MS,
  remoteHost: config.HF_ENDPOINT?.replace(/\/?$/, '/'),
  log,
});

const server = serve(
  { fetch: createApp({ config, models, log }).fetch, port: config.PORT, hostname: config.HOST },
  (info) => {
    log(`listening on http://${info.address}:${info.port} (model ${config.WHISPER_MODEL})`);
  },
);

// Warm the model at start so the first request does not pay for loading; failures are reported by /health.
models.get().catch((error: Error) => log(error.message));

function shutdown(signal: string) {
  log(`${signal}: closing`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
