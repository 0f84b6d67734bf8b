/**
 * `npm run bench`: measurements side by side in one run, printed as ratios.
 *
 * - diarization: acoustic-backend DER on 12 synthetic conversations, and the time it adds to transcription;
 *   then on real voices (`diarization-real` alone; `--verbose` for a row per file), when ../shared is there,
 *   per backend: acoustic, then neural where its models load.
 * - upload: a 320 MB multipart upload through the local Worker (parts via its signed route into local
 *   R2) against a plain copy of a file of the same size on the same disk.
 * - jobs: 200 async jobs through the queue and two local GPU services; all must finish exactly once.
 * - beam-search: the decode loop inside onnxruntime (WhisperBeamSearch) against ours, equal steps.
 * - engine: our engine against the stock pipeline at equal decoder steps per window (`--minutes N`,
 *   `--tokens 32,90`).
 * - health: /health latency during a long transcription, engine on the main thread and on a worker.
 * - gpu (alone, DEVICE=cuda): real-time factor by dtype and batch size, per-step time split, peak device memory.
 * - words: word timestamps from the engine's single decode against the old second pipeline pass.
 * - realtime: live transcription latency (speech → first delta, end of speech → completed, p50/p95)
 *   through wrangler dev and one GPU service, and how many real-time sessions one service holds.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { startStack } from '../test-support/stack.js';
import { beamSearchBench } from './beam-search-bench.js';
import { diarizationBench, diarizationDevBench } from './diarization-bench.js';
import { engineBench } from './engine-bench.js';
import { featuresBench } from './features-bench.js';
import { gpuBench } from './gpu-bench.js';
import { healthUnderLoadBench } from './health-under-load.js';
import { jobsLoadBench } from './jobs-load.js';
import { memoryBench } from './memory-bench.js';
import { partBytes, runMultipartUpload } from './multipart-upload.js';
import { neuralRealDiarizationBench, realDiarizationBench } from './real-diarization-bench.js';
import { realtimeBench } from './realtime-bench.js';
import { wordsBench } from './words-bench.js';

const MiB = 1024 * 1024;

async function plainCopySeconds(bytes: number, partSize: number): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-copy-'));
  try {
    const source = path.join(dir, 'source.bin');
    for (let n = 1; (n - 1) * partSize < bytes; n++) {
      await writeFile(source, partBytes(n, partSize, bytes), { flag: n === 1 ? 'w' : 'a' });
    }
    const started = performance.now();
    // Through user space, as bytes moved by a program: copyFile may clone in the kernel without copying.
    await pipeline(createReadStream(source), createWriteStream(path.join(dir, 'copy.bin')));
    return (performance.now() - started) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function uploadBench(): Promise<void> {
  const bytes = 320 * MiB;
  const partSize = 8 * MiB;
  const stack = await startStack(['--edge-only', '--object-route']);
  try {
    const run = await runMultipartUpload({ edge: stack.edge, bytes, partSize });
    const copy = await plainCopySeconds(bytes, partSize);
    const mbps = (s: number) => (bytes / MiB / s).toFixed(0);
    console.log('upload (320 MB multipart through the Worker into local R2, 8 MiB parts, 3 in flight)');
    console.log(`  multipart upload: ${run.seconds.toFixed(2)} s  (${mbps(run.seconds)} MB/s)`);
    console.log(`  plain file copy:  ${copy.toFixed(2)} s  (${mbps(copy)} MB/s)`);
    console.log(`  ratio upload/copy throughput: ${(copy / run.seconds).toFixed(3)}`);
  } finally {
    await stack.stop('SIGKILL');
  }
}

const which = process.argv[2] ?? 'all';
/** `--name value` after the bench's name (e.g. `npm run bench engine -- --minutes 2 --tokens 32`). */
function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 2 ? process.argv[at + 1] : undefined;
}
const engineOptions = {
  ...(flag('minutes') ? { minutes: Number(flag('minutes')) } : {}),
  ...(flag('tokens') ? { tokensPerWindow: flag('tokens')!.split(',').map(Number) } : {}),
  ...(process.argv.includes('--skip-peer') ? { skipPeer: true } : {}),
  ...(flag('rounds') ? { rounds: Number(flag('rounds')) } : {}),
  ...(flag('batch') ? { batch: Number(flag('batch')) } : {}),
};
if (which === 'all' || which === 'diarization') await diarizationBench();
if (which === 'all' || which === 'diarization' || which === 'diarization-real') {
  await realDiarizationBench();
  await neuralRealDiarizationBench();
}
if (which === 'diarization-dev') await diarizationDevBench();
if (which === 'all' || which === 'upload') await uploadBench();
if (which === 'all' || which === 'features') await featuresBench();
if (which === 'all' || which === 'engine') await engineBench(engineOptions);
if (which === 'all' || which === 'beam-search')
  await beamSearchBench({
    ...(flag('rounds') ? { rounds: Number(flag('rounds')) } : {}),
    ...(flag('tokens') ? { steps: flag('tokens')!.split(',').map(Number) } : {}),
  });
if (which === 'all' || which === 'health')
  await healthUnderLoadBench(flag('minutes') ? Number(flag('minutes')) : 3);
if (which === 'all' || which === 'memory') await memoryBench();
if (which === 'all' || which === 'jobs') await jobsLoadBench();
if (which === 'all' || which === 'words') await wordsBench();
if (which === 'all' || which === 'realtime') await realtimeBench();
// Not part of 'all': it needs DEVICE=cuda (DEVICE=cpu checks the bench itself).
if (which === 'gpu')
  await gpuBench({
    ...(flag('model') ? { model: flag('model')! } : {}),
    ...(flag('windows') ? { windows: Number(flag('windows')) } : {}),
    ...(flag('tokens') ? { tokens: Number(flag('tokens')) } : {}),
    ...(flag('batches') ? { batches: flag('batches')!.split(',').map(Number) } : {}),
  });
