import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/file-server.js';
import { ModelLoadError, ModelManager } from './model-manager.js';

// The "hub" here is a loopback server that accepts connections and never answers, standing in for a
// network that swallows packets: loading must give up with a useful message instead of hanging.
let silentHub: TestServer;

beforeAll(async () => {
  silentHub = await startServer(() => undefined);
});
afterAll(() => silentHub.close());

describe('ModelManager offline', () => {
  it('fails fast with an error naming MODEL_DIR and the fix when an uncached hub model cannot be fetched', async () => {
    const modelDir = mkdtempSync(path.join(tmpdir(), 'models-'));
    const manager = new ModelManager({
      model: 'onnx-community/whisper-base',
      modelDir,
      device: 'cpu',
      hubTimeoutMs: 500,
      remoteHost: `${silentHub.url}/`,
    });
    const started = Date.now();
    const error = await manager.get().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(ModelLoadError);
    const message = (error as Error).message;
    expect(message).toContain(`Model 'onnx-community/whisper-base' is not in MODEL_DIR (${modelDir})`);
    expect(message).toContain('Fix:');
    expect(manager.status()).toMatchObject({ model_loaded: false, device: null, model_error: message });
  });

  it('says which local directory is unusable', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'not-a-model-'));
    const manager = new ModelManager({ model: empty, modelDir: empty, device: 'cpu', hubTimeoutMs: 500 });
    const error = (await manager.get().catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`Model directory ${empty} could not be loaded`);
  });
});
