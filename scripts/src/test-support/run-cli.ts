import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { root } from './stack.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<CliRun>;
}

/**
 * The CLI as a user runs it: its own process (the bin npx links, so tsx, the real terminal-less
 * streams, real signals), with only the environment given here (none of the caller's WHISPER_EDGE_*).
 */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('WHISPER_EDGE_')),
  );
  const child = spawn(process.execPath, [path.join(root, 'cli/bin/whisper-edge.js'), ...args], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<CliRun>((resolve) =>
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), stdout, stderr })),
  );
  return { child, stderr: () => stderr, done };
}

export const runCli = (args: string[], env: Record<string, string> = {}) => startCli(args, env).done;

/** `whisper-edge upload` of `file` as a multipart upload of 5 MiB parts sent one at a time, verbose. */
export function partByPartUpload(file: string): string[] {
  return ['upload', file, '--multipart-threshold', '0', '--part-size', '5MiB', '--concurrency', '1', '-v'];
}
