import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles, type TestServer } from '../../../test/file-server.js';
import { speechFlac } from '../../../test/fixtures.js';
import { createTestApp, signedTranscribeRequest } from '../../../test/test-app.js';

const app = createTestApp();
let files: TestServer;

beforeAll(async () => {
  files = await serveFiles({ '/speech.flac': speechFlac });
});
afterAll(() => files.close());

describe('a language the model has no token for', () => {
  // The generated model has Whisper's original 99 languages; Cantonese came with large-v3.
  it('answers 400 naming the language, in OpenAI shape', async () => {
    const response = await signedTranscribeRequest(app, {
      audio_url: `${files.url}/speech.flac`,
      options: { task: 'transcribe', language: 'yue' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { param: 'language', code: 'unsupported_language', message: expect.stringContaining("'yue'") },
    });
  });
});
