import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DiarizationResult, signRequest } from '@whisper-edge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { diarizationErrorRate } from '../diarization/der.js';
import { type SyntheticConversation, synthesizeConversation } from '../diarization/synthetic-conversation.js';
import { ModelManager } from '../inference/model-manager.js';
import { ModelRegistry } from '../inference/model-registry.js';
import { serveFiles, type TestServer } from '../test-support/file-server.js';
import { testModelDir } from '../test-support/fixtures.js';

const secret = 'a-test-secret-of-enough-length';
const config = loadConfig({ GPU_SHARED_SECRET: secret, WHISPER_MODEL: testModelDir, DEVICE: 'cpu' });
const models = new ModelRegistry({
  defaultModel: testModelDir,
  allowed: [],
  idleTtlMs: 0,
  create: (id) => new ModelManager({ model: id, modelDir: id, device: 'cpu', hubTimeoutMs: 1000 }),
});
const app = createApp({ config, models, log: () => undefined });
let files: TestServer;
let conversation: SyntheticConversation;
let dir: string;

beforeAll(async () => {
  conversation = synthesizeConversation({ seed: 5, speakers: 2, turns: 6, voices: [0, 1] });
  dir = mkdtempSync(path.join(tmpdir(), 'diarize-route-'));
  const raw = path.join(dir, 'call.f32');
  writeFileSync(raw, new Uint8Array(conversation.pcm.buffer));
  // Served as Opus in Ogg: the route decodes through ffmpeg like any upload.
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'f32le',
    '-ar',
    '16000',
    '-ac',
    '1',
    '-i',
    raw,
    path.join(dir, 'call.ogg'),
  ]);
  files = await serveFiles({ '/call.ogg': path.join(dir, 'call.ogg') });
}, 60_000);
afterAll(() => {
  files?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signedDiarize(payload: unknown, signWith = secret): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers = await signRequest(signWith, { method: 'POST', path: '/internal/diarize', body });
  return app.request('/internal/diarize', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('POST /internal/diarize', () => {
  it('answers the speaker turns of a streamed, compressed conversation', async () => {
    const response = await signedDiarize({ audio_url: `${files.url}/call.ogg`, options: {} });
    expect(response.status).toBe(200);
    const result = (await response.json()) as DiarizationResult;
    expect(result.backend).toBe('acoustic');
    expect(result.speakers).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    expect(result.duration).toBeCloseTo(conversation.pcm.length / 16_000, 1);
    expect(diarizationErrorRate(conversation.reference, result.turns).der).toBeLessThan(0.1);
  });

  it('refuses unsigned calls, bad bodies, and neural without models', async () => {
    expect(
      (await signedDiarize({ audio_url: `${files.url}/call.ogg` }, 'some-other-secret-value')).status,
    ).toBe(401);
    expect((await signedDiarize({ audio_url: 'not a url' })).status).toBe(400);
    const neural = await signedDiarize({
      audio_url: `${files.url}/call.ogg`,
      options: { backend: 'neural' },
    });
    expect(neural.status).toBe(400);
    expect(await neural.json()).toMatchObject({ error: { param: 'diarization_backend' } });
  });
});
