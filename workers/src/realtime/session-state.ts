import { ApiError, asApiError } from '@whisper-edge/shared';
import type { Tenant } from '../env.js';
import {
  applySessionConfig,
  DEFAULT_SETTINGS,
  parseSessionConfig,
  type SessionSettings,
} from './session-config.js';

/** What the Worker hands the object with the upgrade (it authenticated the caller). */
export interface SessionStart {
  tenant: Tenant;
  /** A client secret's session configuration. */
  session?: unknown;
  protocol?: string;
}
export const SESSION_START_HEADER = 'x-whisper-realtime-start';

/** What survives hibernation (the object sleeps while a session is idle and holds no GPU connection). */
export interface SessionState {
  id: string;
  tenant: Tenant;
  settings: SessionSettings;
  expiresAt: number;
  position: number;
  lastCommitted: string | null;
  audioSeconds: number;
}

const SESSION_SECONDS = 2 * 3600;

/**
 * A new session's state. A client secret's configuration that fails its checks leaves the defaults
 * and is answered with an error after `session.created`, as OpenAI does.
 */
export function startSession(
  id: string,
  start: SessionStart,
): { state: SessionState; refused: ApiError | null } {
  let settings = DEFAULT_SETTINGS;
  let refused: ApiError | null = null;
  if (start.session !== undefined) {
    try {
      settings = applySessionConfig(settings, parseSessionConfig(start.session));
    } catch (error) {
      refused = asApiError(error);
    }
  }
  const state: SessionState = {
    id,
    tenant: start.tenant ?? { id: null },
    settings,
    expiresAt: Math.floor(Date.now() / 1000) + SESSION_SECONDS,
    position: 0,
    lastCommitted: null,
    audioSeconds: 0,
  };
  return { state, refused };
}

/** What a finished session counts toward its key's usage, if anything happened in it. */
export function sessionUsage(state: SessionState, linkSeconds: number) {
  if (state.audioSeconds <= 0 && linkSeconds <= 0) return null;
  return {
    requests: 1,
    audioSeconds: Math.round(state.audioSeconds * 1000) / 1000,
    gpuSeconds: Math.round(linkSeconds * 1000) / 1000,
  };
}

/** The session's time is up: OpenAI ends sessions too (ours last two hours). */
export const sessionExpired = () =>
  new ApiError(400, 'Your session hit the maximum duration of 2 hours.', { code: 'session_expired' });
