import { logContext } from './log-context.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Where finished lines go; tests collect them. */
export type LogSink = (line: string, level: LogLevel) => void;

/** stdout for info, stderr for problems: a container's log driver and Workers Logs both parse JSON lines. */
const consoleSink: LogSink = (line, level) => {
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};

function plain(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/**
 * Structured logs: one JSON object per line, `{time, level, service, msg, request_id?, job_id?, …}`.
 * The request and job ids come from the log context of the work being done, so no call site passes them.
 */
export function createLogger(service: string, sink: LogSink = consoleSink): Logger {
  const write = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    const entry: LogFields = { time: new Date().toISOString(), level, service, msg, ...logContext() };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) entry[key] = plain(value);
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      line = JSON.stringify({
        ...entry,
        ...Object.fromEntries(Object.keys(fields).map((k) => [k, '[unserialisable]'])),
      });
    }
    sink(line, level);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}
