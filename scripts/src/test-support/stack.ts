import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendantsNamed } from './processes.js';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Everything a child process writes, stdout and stderr interleaved as they arrive. */
export function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const add = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  return () => output;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningStack {
  process: ChildProcess;
  /** `http://127.0.0.1:<port>` of the Worker. */
  edge: string;
  edgePort: number;
  gpuPort: number;
  output: () => string;
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Runs `npm start`'s script (scripts/src/dev.ts) and resolves once it prints that it is ready. Ports
 * not given in `args` are picked free, so stacks of several test files never collide.
 */
export async function startStack(
  givenArgs: string[],
  readyTimeoutMs = 240_000,
  /** Settings for both services, as `FOO=1 npm start` would give them. */
  env: NodeJS.ProcessEnv = {},
): Promise<RunningStack> {
  const args = [...givenArgs];
  for (const flag of ['--port', '--gpu-port'])
    if (!args.includes(flag)) args.push(flag, String(await freePort()));
  const edgePort = Number(args[args.indexOf('--port') + 1]);
  const gpuPort = Number(args[args.indexOf('--gpu-port') + 1]);
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/src/dev.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = collectOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /**
   * Stops the runner the way a person would (Ctrl-C) so it stops its own children, then makes sure:
   * wrangler and the GPU service run in process groups of their own, so a runner that dies hard would
   * orphan them, and an orphaned stack keeps a CI machine busy long after the tests.
   */
  const stop = async (signal: NodeJS.Signals = 'SIGINT') => {
    const family = descendantsNamed(child.pid!, /.*/);
    if (child.exitCode === null && child.signalCode === null)
      child.kill(signal === 'SIGKILL' ? 'SIGINT' : signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(timer);
    for (const pid of [...family, ...descendantsNamed(child.pid!, /.*/)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    return code;
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (!output().includes('[dev] ready:')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`stack did not become ready:\n${output().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    process: child,
    edge: `http://127.0.0.1:${edgePort}`,
    edgePort,
    gpuPort,
    output,
    exited,
    stop,
  };
}

export async function isListening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}
