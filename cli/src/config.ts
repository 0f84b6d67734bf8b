import { homedir } from 'node:os';
import path from 'node:path';
import { usageError } from './errors/cli-error.js';

/** Where and as whom the CLI talks, read once from flags and the environment (flags win). */
export interface CliConfig {
  /** The edge's origin (no trailing slash). */
  url: string;
  apiKey: string | undefined;
  /** Upload state for resuming after Ctrl-C. */
  stateDir: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8787';

export function resolveConfig(
  flags: { url?: string | undefined; 'api-key'?: string | undefined; 'state-dir'?: string | undefined },
  env: NodeJS.ProcessEnv,
): CliConfig {
  const raw = flags.url ?? env.WHISPER_EDGE_URL ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`--url must be an http(s) URL, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--url must be an http(s) URL, got '${raw}'`);
  }
  const apiKey = flags['api-key'] ?? env.WHISPER_EDGE_API_KEY;
  const stateHome = env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state');
  return {
    url: url.href.replace(/\/+$/, ''),
    apiKey: apiKey ? apiKey : undefined,
    stateDir: flags['state-dir'] ?? env.WHISPER_EDGE_STATE_DIR ?? path.join(stateHome, 'whisper-edge'),
  };
}
