import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving one request (or running one job) carries. */
export interface LogContext {
  request_id?: string;
  job_id?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with these fields added to the context every log line and outgoing call reads. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

export function logContext(): LogContext {
  return storage.getStore() ?? {};
}
