import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface MemoryRun {
  minutes: number;
  seconds: number;
  segments: number;
  duration: number;
  maxRetainedSeconds: number;
  peakRssMiB: number;
}

function run(minutes: number): MemoryRun {
  const out = execFileSync(
    path.join(root, 'node_modules/.bin/tsx'),
    ['scripts/src/bench/memory-run.ts', String(minutes)],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as MemoryRun;
}

/** What releasing the main thread's sessions frees, base-sized model (sessions-memory-run.ts). */
function sessionsMemory(): void {
  const out = execFileSync(
    path.join(root, 'node_modules/.bin/tsx'),
    ['scripts/src/bench/sessions-memory-run.ts'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 16 << 20,
      env: { ...process.env, NODE_OPTIONS: '--expose-gc' },
    },
  );
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
    loaded: number;
    withWorker: number;
    released: number;
  };
  console.log(
    `  base-sized model, one engine worker: RSS ${r.loaded.toFixed(0)} MiB loaded on the main thread, ${r.withWorker.toFixed(0)} MiB with the worker's copy, ${r.released.toFixed(0)} MiB once the main thread's sessions are released (${(r.withWorker - r.released).toFixed(0)} MiB freed)`,
  );
}

/** Peak RSS of a streaming transcription of 10 minutes vs 2 hours, each in a fresh process. */
export async function memoryBench(): Promise<void> {
  const short = run(10);
  const long = run(120);
  console.log('memory (streaming decode → VAD → engine, generated test model, CPU; fresh process each)');
  for (const r of [short, long]) {
    console.log(
      `  ${String(r.minutes).padStart(3)} min: peak RSS ${r.peakRssMiB.toFixed(0)} MiB, ` +
        `audio held at most ${r.maxRetainedSeconds.toFixed(1)} s, ${r.segments} segments, ${r.seconds.toFixed(1)} s ` +
        `(${((r.minutes * 60) / r.seconds).toFixed(0)}x real time)`,
    );
  }
  console.log(`  ratio of peak RSS (2 h / 10 min): ${(long.peakRssMiB / short.peakRssMiB).toFixed(2)}`);
  sessionsMemory();
}
