import { type ChildProcess, spawn } from 'node:child_process';

/**
 * The processes `npm start` runs (dev.ts): each in its own process group, so stopping kills
 * wrangler's workerd and tsx's node too; an essential one that exits stops them all.
 */
export class DevProcesses {
  private readonly children: ChildProcess[] = [];
  private stopping = false;

  constructor(
    private readonly root: string,
    private readonly log: (message: string) => void,
    /** Runs once everything has stopped, before the exit. */
    private readonly cleanup: () => void,
  ) {}

  get stopped(): boolean {
    return this.stopping;
  }

  start(
    name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    essential = true,
  ): ChildProcess {
    const child = spawn(command, args, {
      cwd: this.root,
      env: { ...process.env, ...env },
      stdio: 'inherit',
      detached: true,
    });
    this.children.push(child);
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      // One service of a pool may die (that is what the pool is for); the edge routes around it.
      if (!essential) {
        this.log(`${name} exited (${signal ?? code}); the rest of the pool carries on`);
        return;
      }
      this.log(`${name} exited (${signal ?? code}); stopping`);
      void this.stop(1);
    });
    return child;
  }

  async stop(exitCode: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const exits = this.children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
        const force = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 8000);
        return exited.finally(() => clearTimeout(force));
      });
    await Promise.all(exits);
    this.cleanup();
    this.log('stopped');
    process.exit(exitCode);
  }
}

/**
 * Polls a /health until it answers; for the GPU service, until its model has loaded or failed to.
 * Returns the GPU service's model error, if its model could not load.
 */
export async function waitForHealth(
  url: string,
  timeoutMs: number,
  stopped: () => boolean,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopped()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = (await response.json()) as { model_loaded?: boolean; model_error?: string };
      if (body.model_error) return body.model_error;
      if (response.ok && body.model_loaded !== false) return undefined;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}
