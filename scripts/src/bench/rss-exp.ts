import path from 'node:path';
import { ModelManager } from '@whisper-edge/gpu-service/models/model-manager';
import { releaseMainThreadSessions } from '@whisper-edge/gpu-service/models/release-sessions';
import { EnginePool } from '@whisper-edge/gpu-service/whisper/engine-pool';

const dir = path.resolve('../fixtures/models/whisper-base-random');
const mem = () => {
  const m = process.memoryUsage();
  return `rss ${(m.rss / 2 ** 20).toFixed(0)} MiB, external ${(m.external / 2 ** 20).toFixed(0)}, arrayBuffers ${(m.arrayBuffers / 2 ** 20).toFixed(0)}, heap ${(m.heapUsed / 2 ** 20).toFixed(0)}`;
};
const gc = (globalThis as { gc?: () => void }).gc;
const manager = new ModelManager({
  model: dir,
  modelDir: dir,
  device: 'cpu',
  hubTimeoutMs: 1000,
  engineWorkers: 1,
});
const model = await manager.get();
gc?.();
console.log('loaded on the main thread:', mem());
const pool = await EnginePool.start(model);
gc?.();
console.log('plus the engine worker:   ', mem());
await releaseMainThreadSessions(model);
gc?.();
await new Promise((r) => setTimeout(r, 1000));
gc?.();
console.log('main copy released:       ', mem());
await pool.close();
await manager.unload();
