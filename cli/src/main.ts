import { ApiClient } from './api/api-client.js';
import { parseInvocation } from './commands/args.js';
import { commandContext } from './commands/context.js';
import { helpText } from './commands/help.js';
import { jobsCancel, jobsGet, jobsList, jobsResult } from './commands/jobs.js';
import { transcribe } from './commands/transcribe.js';
import { upload } from './commands/upload.js';
import { resolveConfig } from './config.js';
import { CliError } from './errors/cli-error.js';
import { ExitCode } from './errors/exit-codes.js';

const RUN = {
  transcribe,
  upload,
  'jobs list': jobsList,
  'jobs get': jobsGet,
  'jobs cancel': jobsCancel,
  'jobs result': jobsResult,
} as const;

/** Ctrl-C aborts what is in flight so state is saved and a clear line printed; a second one ends at once. */
function interruptions(): AbortController {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
    // Nothing that was aborted should take long to unwind; never hang on the way out.
    setTimeout(() => process.exit(ExitCode.interrupted), 5000).unref();
  });
  return controller;
}

async function main(argv: string[]): Promise<number> {
  const invocation = parseInvocation(argv);
  if (invocation.flags.help || invocation.command === undefined) {
    process.stdout.write(`${helpText(invocation.command)}\n`);
    return ExitCode.ok;
  }
  const config = resolveConfig(invocation.flags, process.env);
  const controller = interruptions();
  const api = new ApiClient(config.url, config.apiKey, controller.signal);
  const run = RUN[invocation.command as keyof typeof RUN];
  return run(commandContext(invocation, config, api));
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const known = error instanceof CliError;
  process.stderr.write(`whisper-edge: ${known ? error.message : String((error as Error)?.stack ?? error)}\n`);
  if (known && error.exitCode === ExitCode.usage) process.stderr.write('(whisper-edge --help for usage)\n');
  process.exit(known ? error.exitCode : ExitCode.failed);
}
