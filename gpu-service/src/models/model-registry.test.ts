import { describe, expect, it } from 'vitest';
import { testModelDir, testModelEnDir } from '../../test/fixtures.js';
import { ModelManager } from './model-manager.js';
import { ModelRegistry } from './model-registry.js';

function registry(idleTtlMs: number, now: () => number) {
  return new ModelRegistry({
    defaultModel: testModelDir,
    allowed: [testModelEnDir],
    idleTtlMs,
    now,
    create: (id) => new ModelManager({ model: id, modelDir: id, device: 'cpu', hubTimeoutMs: 1000 }),
  });
}

describe('ModelRegistry', () => {
  it('maps whisper-1 and no model to the default, accepts ids and directory names, refuses the rest', () => {
    const models = registry(0, Date.now);
    expect(models.resolve(undefined)).toBe(testModelDir);
    expect(models.resolve('whisper-1')).toBe(testModelDir);
    expect(models.resolve('whisper-test-en')).toBe(testModelEnDir);
    expect(() => models.resolve('large-v9')).toThrow(
      `Unknown model 'large-v9'. Allowed: whisper-1, ${testModelDir}, whisper-test, ${testModelEnDir}, whisper-test-en`,
    );
    models.close();
  });

  it('loads each model once and shares it', async () => {
    const models = registry(0, Date.now);
    const [a, b] = await Promise.all([models.get('whisper-1'), models.get(testModelDir)]);
    expect(a).toBe(b);
    expect(models.status().models).toEqual([
      { id: testModelDir, loaded: true, device: 'cpu' },
      { id: testModelEnDir, loaded: false, device: null },
    ]);
    models.close();
  });

  it('unloads models idle past the TTL, but never preloaded ones', async () => {
    let clock = 0;
    const models = registry(1000, () => clock);
    await models.preload([testModelDir]);
    await models.get('whisper-test-en');
    clock = 5000;
    expect(await models.sweep()).toEqual([testModelEnDir]);
    expect(models.status().models.map((m) => m.loaded)).toEqual([true, false]);
    // Used again, it loads again.
    await models.get('whisper-test-en');
    expect(models.status().models.map((m) => m.loaded)).toEqual([true, true]);
    models.close();
  });

  it('stops an unloaded model’s log-mel workers with its sessions', async () => {
    let clock = 0;
    const models = registry(1000, () => clock);
    const model = await models.get('whisper-test-en');
    const features = await model.features();
    expect(await model.features()).toBe(features);
    expect(features.threads).toBeGreaterThan(0);
    clock = 5000;
    await models.sweep();
    await expect(features.extract([new Float32Array(16_000)])).rejects.toThrow(/worker pool is closed/);
    await expect(model.features()).rejects.toThrow(/unloaded/);
    models.close();
  });
});
