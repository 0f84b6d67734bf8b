/**
 * `npm start`: runs the GPU service and `wrangler dev` together on this machine (CPU, local R2
 * persisted under .wrangler/state), wires them with a fresh shared secret, prints where to send
 * requests, and stops both on Ctrl-C.
 *
 *   npm start                      # model from WHISPER_MODEL, else onnx-community/whisper-base (downloads once)
 *   npm start -- --test-model      # the generated random-weight model: works offline, output is gibberish
 *   npm start -- --port 8787 --gpu-port 8788
 *   npm start -- --edge-only       # only the Worker, for a GPU service running elsewhere
 *   npm start -- --object-route    # audio via the Worker's signed route instead of R2's S3 API
 *   npm start -- --local-s3        # S3 exports go to wrangler's local S3 endpoint (no AWS needed)
 *   npm start -- --allow-local-urls  # s3_presigned_url and callback_url may be http://127.0.0.1 (local testing only)
 *   npm start -- --gpus 2          # a pool of two GPU services on --gpu-port, --gpu-port+1
 *   npm start -- --api-keys me:sk-…  # auth on (or API_KEYS in the environment); the web app asks for the key
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiKeysConfigError, parseApiKeyEntries } from '@whisper-edge/shared';
import { buildWeb } from './build-web.js';
import { DevProcesses, waitForHealth } from './dev-processes.js';
import { modelFailureLine } from './model-failure.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    'gpu-port': { type: 'string', default: process.env.GPU_PORT ?? '8788' },
    'test-model': { type: 'boolean', default: false },
    /** Only the Worker, pointed at --gpu-port: for a GPU service run elsewhere (or to see it missing). */
    'edge-only': { type: 'boolean', default: false },
    'object-route': { type: 'boolean', default: false },
    'local-s3': { type: 'boolean', default: false },
    'allow-local-urls': { type: 'boolean', default: false },
    model: { type: 'string' },
    gpus: { type: 'string', default: '1' },
    /** Turns the Worker's auth on: `name:key,…` or `key,…`, as the API_KEYS secret. */
    'api-keys': { type: 'string', default: process.env.API_KEYS },
  },
});

const log = (message: string) => console.log(`[dev] ${message}`);

// The Worker would refuse every request with a bad API_KEYS; say so now, before anything starts.
try {
  parseApiKeyEntries(values['api-keys']);
} catch (error) {
  if (!(error instanceof ApiKeysConfigError)) throw error;
  console.error(`[dev] ${error.message}`);
  process.exit(2);
}
const secret = process.env.GPU_SHARED_SECRET ?? randomBytes(32).toString('hex');
const gpuCount = Math.max(1, Math.min(8, Number(values.gpus) || 1));
const gpuPorts = Array.from({ length: gpuCount }, (_, i) => Number(values['gpu-port']) + i);
const gpuUrls = gpuPorts.map((port) => `http://127.0.0.1:${port}`);
const gpuUrl = gpuUrls[0]!;
const edgeUrl = `http://127.0.0.1:${values.port}`;
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

// Imported only when asked for: generating pulls in the ONNX tooling.
const testModel =
  values['test-model'] && !values['edge-only']
    ? await (await import('./test-model.js')).ensureTestModel()
    : undefined;
const model = values.model ?? testModel ?? process.env.WHISPER_MODEL;

// The secret reaches wrangler through an env file rather than --var, which wrangler would print.
const stateDir = path.join(root, '.wrangler');
mkdirSync(stateDir, { recursive: true });
const envFile = path.join(stateDir, `dev-secrets-${values.port}.env`);
// wrangler dev serves the local bucket over R2's S3 API with the local-only keys in wrangler.toml,
// so by default the production path (SigV4 pre-signed URLs) is the one that runs locally too.
const wranglerToml = readFileSync(path.join(root, 'wrangler.toml'), 'utf8');
const localKeys = {
  id: /accessKeyId\s*=\s*"([^"]+)"/.exec(wranglerToml)?.[1],
  secret: /secretAccessKey\s*=\s*"([^"]+)"/.exec(wranglerToml)?.[1],
};
const localS3 = `${edgeUrl}/cdn-cgi/local/r2/s3`;
const useR2S3 = !values['object-route'] && localKeys.id && localKeys.secret;
// Webhooks are signed with this; a receiver under test reads it from the file named in the log.
const webhookSecret = process.env.WEBHOOK_SECRET ?? `whsec_${randomBytes(32).toString('base64')}`;
const webhookSecretFile = path.join(stateDir, `dev-webhook-secret-${values.port}`);
writeFileSync(webhookSecretFile, webhookSecret, { mode: 0o600 });
// Object URLs get their own secret, which the GPU service never sees (least privilege, as deployed).
const objectUrlSecret = process.env.OBJECT_URL_SECRET ?? randomBytes(32).toString('hex');
const secrets: Record<string, string> = {
  GPU_SHARED_SECRET: secret,
  OBJECT_URL_SECRET: objectUrlSecret,
  WEBHOOK_SECRET: webhookSecret,
};
const vars: Record<string, string> = {
  GPU_SERVICE_URL: gpuUrl,
  GPU_SERVICE_URLS: gpuUrls.join(','),
  // wrangler dev hands the Worker the caller's Host header: without PUBLIC_URL, URLs minted for the GPU
  // service and browsers would point wherever a caller says (on Cloudflare, routing guarantees it).
  PUBLIC_URL: process.env.PUBLIC_URL ?? edgeUrl,
};
if (useR2S3) {
  Object.assign(secrets, { R2_ACCESS_KEY_ID: localKeys.id, R2_SECRET_ACCESS_KEY: localKeys.secret });
  vars.R2_ENDPOINT = localS3;
}
if (values['local-s3'] && localKeys.id && localKeys.secret) {
  Object.assign(secrets, { AWS_ACCESS_KEY_ID: localKeys.id, AWS_SECRET_ACCESS_KEY: localKeys.secret });
  Object.assign(vars, { AWS_S3_ENDPOINT: localS3, AWS_DEFAULT_REGION: 'auto' });
}
if (values['allow-local-urls']) vars.DEV_ALLOW_LOCAL_URLS = 'true';
// Any [vars] entry of wrangler.toml can be set from the environment for a local run
// (`MAX_SYNC_AUDIO_SECONDS=60 npm start`), as the GPU service reads its own settings from it.
const varsSection = /^\[vars\]\n([\s\S]*?)(?=^\[)/m.exec(wranglerToml)?.[1] ?? '';
for (const [, name] of varsSection.matchAll(/^([A-Z][A-Z0-9_]*)\s*=/gm)) {
  const value = process.env[name!];
  if (value !== undefined && !(name! in vars)) vars[name!] = value;
}
// Locally any bucket may take exports, so the storage guide's examples (its own bucket names) run as
// written; a deployment leaves EXPORT_BUCKETS unset (the bound bucket only) or lists its buckets.
vars.EXPORT_BUCKETS = process.env.EXPORT_BUCKETS ?? '*';
if (values['api-keys']) secrets.API_KEYS = values['api-keys'];
const envLines = Object.entries(secrets).map(([k, v]) => `${k}=${v}`);
writeFileSync(envFile, `${envLines.join('\n')}\n`, { mode: 0o600 });

// The page wrangler serves from web/dist (wrangler.toml [assets]); rebuilt only when its sources changed.
buildWeb();

const processes = new DevProcesses(root, log, () => {
  rmSync(envFile, { force: true });
  rmSync(webhookSecretFile, { force: true });
});
const start = processes.start.bind(processes);
const stop = (code: number) => processes.stop(code);

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

for (const [i, port] of (values['edge-only'] ? [] : gpuPorts).entries()) {
  start(
    gpuCount > 1 ? `gpu-service ${i + 1}` : 'gpu-service',
    bin('tsx'),
    ['gpu-service/src/main.ts'],
    {
      PORT: String(port),
      GPU_SHARED_SECRET: secret,
      DEVICE: process.env.DEVICE ?? 'cpu',
      MODEL_DIR: process.env.MODEL_DIR ?? path.join(root, 'models'),
      ...(model ? { WHISPER_MODEL: model } : {}),
      // The test model is for offline use: no hub download of the neural diarization models either,
      // unless they were named explicitly.
      ...(testModel
        ? {
            DIARIZATION_SEGMENTATION_MODEL: process.env.DIARIZATION_SEGMENTATION_MODEL ?? '',
            DIARIZATION_EMBEDDING_MODEL: process.env.DIARIZATION_EMBEDDING_MODEL ?? '',
          }
        : {}),
      ...(values['allow-local-urls'] ? { ALLOW_PRIVATE_AUDIO_URLS: 'true' } : {}),
    },
    gpuCount === 1,
  );
}
start(
  'wrangler',
  bin('wrangler'),
  ['dev', '--ip', '127.0.0.1', '--port', values.port, '--persist-to', path.join(stateDir, 'state')]
    .concat(['--env-file', envFile, '--show-interactive-dev-session=false'])
    .concat(Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])),
  { WRANGLER_SEND_METRICS: 'false' },
);

try {
  const services = values['edge-only'] ? [edgeUrl] : [...gpuUrls, edgeUrl];
  const modelErrors = await Promise.all(
    services.map((url) => waitForHealth(`${url}/health`, 120_000, () => processes.stopped)),
  );
  const modelError = modelErrors.find((e) => e !== undefined);
  if (modelError) {
    log(modelFailureLine(modelError, model ?? 'onnx-community/whisper-base'));
    await stop(1);
  }
  log(`ready: send requests to ${edgeUrl} (GPU service${gpuCount > 1 ? 's' : ''} at ${gpuUrls.join(', ')})`);
  log(`webhook signing secret: in ${path.relative(root, webhookSecretFile)}`);
  log(useR2S3 ? `audio URLs: R2 S3 API at ${localS3}` : 'audio URLs: the Worker’s signed object route');
  log(`web app: open ${edgeUrl}/ in a browser`);
  log(`API reference: ${edgeUrl}/docs/ (OpenAPI 3.1 at ${edgeUrl}/openapi.json)`);
  log(`try: curl ${edgeUrl}/v1/audio/transcriptions -F file=@fixtures/audio/speech-en.flac`);
} catch (error) {
  log((error as Error).message);
  await stop(1);
}
