import { writeFileSync } from 'node:fs';
import type { ApiClient } from '../api/api-client.js';
import type { CliConfig } from '../config.js';
import { CliError } from '../errors/cli-error.js';
import { printAbove, progressEnabled } from '../progress/progress-bar.js';
import type { Flags, Invocation } from './args.js';

/** What every command gets: the API, settings, and where its words go. */
export interface CommandContext {
  invocation: Invocation;
  flags: Flags;
  config: CliConfig;
  api: ApiClient;
  /** Progress bars on (stderr is a terminal and not --quiet). */
  progress: boolean;
  /** A line on stderr with --verbose. */
  log: (line: string) => void;
  /** A line on stderr on a terminal or with --verbose (not when piped and quiet). */
  note: (line: string) => void;
}

export function commandContext(invocation: Invocation, config: CliConfig, api: ApiClient): CommandContext {
  const progress = progressEnabled(invocation.flags);
  const verbose = invocation.flags.verbose === true;
  return {
    invocation,
    flags: invocation.flags,
    config,
    api,
    progress,
    log: (line) => {
      if (verbose) printAbove(line);
    },
    note: (line) => {
      if (verbose || progress) printAbove(line);
    },
  };
}

/** A transcript to --out (exactly the bytes the API sent) or to stdout. */
export function writeOutput(ctx: CommandContext, body: string): void {
  const out = ctx.flags.out;
  if (out) {
    try {
      writeFileSync(out, body);
    } catch (error) {
      throw new CliError(`cannot write ${out}: ${(error as Error).message}`);
    }
    ctx.note(`wrote ${out}`);
    return;
  }
  process.stdout.write(body.endsWith('\n') || !process.stdout.isTTY ? body : `${body}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
