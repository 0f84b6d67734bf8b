import { ApiError } from '@whisper-edge/shared';
import { describe, expect, it } from 'vitest';
import { GpuUnreachableError } from '../gpu/gpu-client.js';
import { isPermanent } from './run-job.js';

describe('isPermanent (a job attempt’s error that another attempt cannot fix)', () => {
  it('fails the job for the caller’s input and for a spent time budget', () => {
    expect(isPermanent(new ApiError(400, 'bad audio', { code: 'invalid_audio' }))).toBe(true);
    expect(isPermanent(new ApiError(413, 'too long', { code: 'audio_too_long' }))).toBe(true);
    // Another attempt would run as long again before hitting the same deadline.
    expect(isPermanent(new ApiError(504, 'deadline', { code: 'deadline_exceeded' }))).toBe(true);
  });

  it('retries what another service or a later try can fix', () => {
    expect(isPermanent(new ApiError(429, 'busy', { code: 'overloaded' }))).toBe(false);
    expect(isPermanent(new ApiError(503, 'slow store', { code: 'audio_download_too_slow' }))).toBe(false);
    expect(isPermanent(new GpuUnreachableError(503, 'gone', { code: 'gpu_unavailable' }))).toBe(false);
    expect(isPermanent(new Error('bug'))).toBe(false);
  });
});
