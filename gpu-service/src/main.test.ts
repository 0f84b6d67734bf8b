import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signRequest } from '@whisper-edge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles, type TestServer } from '../test/file-server.js';
import { repoRoot, speechFlac, testModelDir } from '../test/fixtures.js';

// The real service process: SIGTERM must let admitted work finish, refuse new work, then exit cleanly.
const secret = 'drain-test-secret-0123456789';
let files: TestServer;
let service: ChildProcess;
let base: string;
let logs = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function transcribeCall(options?: object): Promise<Response> {
  const body = JSON.stringify({ audio_url: `${files.url}/speech.flac`, ...(options ? { options } : {}) });
  const headers = await signRequest(secret, { method: 'POST', path: '/internal/transcribe', body });
  return fetch(`${base}/internal/transcribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

beforeAll(async () => {
  files = await serveFiles({ '/speech.flac': speechFlac });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  service = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['gpu-service/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      GPU_SHARED_SECRET: secret,
      WHISPER_MODEL: testModelDir,
      DEVICE: 'cpu',
      // The default neural diarization models, from a "hub" that has none of them: the offline case.
      MODEL_DIR: mkdtempSync(path.join(tmpdir(), 'gpu-main-models-')),
      HF_ENDPOINT: files.url,
      DIARIZATION_SEGMENTATION_MODEL: undefined,
      DIARIZATION_EMBEDDING_MODEL: undefined,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // JSON log lines: info on stdout, warnings and errors on stderr.
  for (const stream of [service.stdout!, service.stderr!]) {
    stream.on('data', (d: Buffer) => {
      logs += d.toString();
    });
  }
  for (let i = 0; i < 200; i++) {
    const health = await fetch(`${base}/health`).then(
      (r) => r.json() as Promise<{ model_loaded: boolean }>,
      () => undefined,
    );
    if (health?.model_loaded) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`service did not load its model:\n${logs}`);
});

afterAll(async () => {
  if (service.exitCode === null) service.kill('SIGKILL');
  await files.close();
});

describe('GPU service process', () => {
  it('exposes Prometheus metrics after work', async () => {
    expect((await transcribeCall()).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/whisper_requests_total\{route="\/internal\/transcribe",status="200"\} 1/);
    expect(text).toMatch(/whisper_audio_seconds_total [5-6]\.\d+/);
    expect(text).toContain('whisper_real_time_factor_count 1');
    expect(text).toContain('whisper_queue_depth 0');
    expect(text).toMatch(/whisper_model_load_seconds\{model="[^"]+",device="cpu"\} \d/);
  });

  it('answers diarized requests with the acoustic backend when the default neural models cannot be downloaded, and logs why', async () => {
    const response = await transcribeCall({ task: 'transcribe', diarization: {} });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { diarization?: { backend: string } } };
    expect(result.diarization).toEqual({ backend: 'acoustic' });
    expect(logs).toMatch(
      /neural diarization unavailable, the acoustic backend answers: DIARIZATION_SEGMENTATION_MODEL='onnx-community\/pyannote-segmentation-3.0' is not in MODEL_DIR .*\(HTTP 404\)/,
    );
  });

  it('drains on SIGTERM: the running request completes, then the process exits 0', async () => {
    const running = transcribeCall();
    // SIGTERM only once the service has admitted the request: a busy machine may take a while.
    for (let i = 0; i < 250; i++) {
      const health = (await (await fetch(`${base}/health`)).json()) as { load: { in_flight: number } };
      if (health.load.in_flight > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    service.kill('SIGTERM');
    const response = await running;
    expect(response.status).toBe(200);
    expect(await exited).toBe(0);
    expect(logs).toContain('SIGTERM: draining 1 running');
    // Every line the process wrote is one JSON object.
    for (const line of logs.split('\n').filter(Boolean)) {
      expect(() => JSON.parse(line), line).not.toThrow();
    }
  });
});
