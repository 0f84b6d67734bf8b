import { signRequest } from '@whisper-edge/shared';
import { createLogger, type Logger } from '@whisper-edge/shared/logging';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type DiarizerFactory, diarizerFactory } from '../src/diarization/create-diarizer.js';
import type { Admission } from '../src/http/admission.js';
import { ModelManager } from '../src/models/model-manager.js';
import { ModelRegistry } from '../src/models/model-registry.js';
import { testModelDir } from './fixtures.js';

export const testSecret = 'a-test-secret-of-enough-length';

/** The GPU service's app in-process, on the generated model and the CPU; acoustic diarization unless told. */
export function createTestApp({
  env = {},
  diarizers = diarizerFactory(),
  ...options
}: {
  admission?: Admission;
  env?: NodeJS.ProcessEnv;
  diarizers?: DiarizerFactory;
  /** Where log lines go (dropped unless a test collects them). */
  log?: Logger;
  /** Windows per decoder batch (the device default otherwise). */
  batchSize?: number;
} = {}) {
  const config = loadConfig({
    GPU_SHARED_SECRET: testSecret,
    WHISPER_MODEL: testModelDir,
    DEVICE: 'cpu',
    ...env,
  });
  const models = new ModelRegistry({
    defaultModel: testModelDir,
    allowed: [],
    idleTtlMs: 0,
    create: (id) =>
      new ModelManager({
        model: id,
        modelDir: id,
        device: 'cpu',
        hubTimeoutMs: 1000,
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      }),
  });
  return createApp({
    config,
    models,
    diarizers,
    log: createLogger('gpu-service', () => undefined),
    ...options,
  });
}

/** A call to /internal/transcribe signed as the edge signs it (with its request id, when given). */
export function signedTranscribeRequest(
  app: ReturnType<typeof createApp>,
  payload: unknown,
  signWith = testSecret,
  now = Date.now(),
  requestId?: string,
): Promise<Response> {
  return signedInternalRequest(app, '/internal/transcribe', payload, signWith, now, requestId);
}

/** A POST to one of the signed /internal routes, signed as the edge signs it. */
export async function signedInternalRequest(
  app: ReturnType<typeof createApp>,
  path: string,
  payload: unknown,
  signWith = testSecret,
  now = Date.now(),
  requestId?: string,
): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers = await signRequest(signWith, { method: 'POST', path, body, requestId }, now);
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** The headers the edge signs a WebSocket upgrade with: a GET of `path` (with its query), no body. */
export function signedUpgradeHeaders(
  path: string,
  signWith = testSecret,
  now = Date.now(),
): Promise<Record<string, string>> {
  return signRequest(signWith, { method: 'GET', path, body: '' }, now);
}
