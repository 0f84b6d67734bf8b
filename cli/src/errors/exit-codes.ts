/** What the process's exit status tells a script (documented in the README and `--help`). */
export const ExitCode = {
  ok: 0,
  /** The job failed or was cancelled, or the API refused the request. */
  failed: 1,
  /** Bad arguments, an unknown option, a file that is not there: nothing was sent. */
  usage: 2,
  /** The API key was missing or wrong (401). */
  auth: 3,
  /** The service could not be reached at all. */
  unreachable: 4,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
