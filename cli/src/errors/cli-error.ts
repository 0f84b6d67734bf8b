import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** An error the CLI prints as one line and turns into its exit status. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.failed) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string) => new CliError(message, ExitCode.usage);

/** Ctrl-C: whatever was running stopped; the caller says what can be resumed. */
export class Interrupted extends CliError {
  constructor(message = 'interrupted') {
    super(message, ExitCode.interrupted);
    this.name = 'Interrupted';
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Interrupted || (error instanceof Error && error.name === 'AbortError');
}
