import type { WorkLimits } from '@whisper-edge/shared';
import type { Bindings } from '../env.js';
import { numberVar } from '../http/number-var.js';

/**
 * What one request may cost on a GPU service. A sync request holds a caller's connection, so it gets
 * less audio and time than a job; the GPU service caps both again at its own MAX_AUDIO_SECONDS and
 * MAX_REQUEST_SECONDS.
 */
export function workLimits(env: Bindings, kind: 'sync' | 'job'): WorkLimits {
  return kind === 'sync'
    ? {
        max_audio_seconds: numberVar(env.MAX_SYNC_AUDIO_SECONDS, 7200),
        deadline_seconds: numberVar(env.SYNC_DEADLINE_SECONDS, 1800),
      }
    : {
        max_audio_seconds: numberVar(env.MAX_JOB_AUDIO_SECONDS, 14_400),
        deadline_seconds: numberVar(env.JOB_DEADLINE_SECONDS, 14_400),
      };
}
