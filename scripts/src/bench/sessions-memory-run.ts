/**
 * Child process of the memory bench: RSS of a GPU-service process holding the base-sized model on
 * CPU — the main thread's load, then with its engine worker, then once the main thread's copy of the
 * sessions is released (as the service does after the worker starts). Garbage is collected before
 * each reading (run with --expose-gc), so the figures are what stays held. Prints one JSON line.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelManager } from '@whisper-edge/gpu-service/models/model-manager';
import { releaseMainThreadSessions } from '@whisper-edge/gpu-service/models/release-sessions';
import { EnginePool } from '@whisper-edge/gpu-service/whisper/engine-pool';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = path.join(root, 'fixtures/models/whisper-base-random');
await generateTinyWhisper({ outDir: dir, preset: 'base', seed: 3 });
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const rss = async () => {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
  gc();
  return process.memoryUsage().rss / 2 ** 20;
};
const manager = new ModelManager({
  model: dir,
  modelDir: dir,
  device: 'cpu',
  hubTimeoutMs: 1000,
  engineWorkers: 1,
});
const model = await manager.get();
const loaded = await rss();
const pool = await EnginePool.start(model);
const withWorker = await rss();
await releaseMainThreadSessions(model);
const released = await rss();
await pool.close();
await manager.unload();
console.log(JSON.stringify({ loaded, withWorker, released }));
