import { describe, expect, it } from 'vitest';
import { canOpen, isUnfinished, jobSummary, jobTitle, type LibraryJob } from './library-item.js';

const job = (over: Partial<LibraryJob> = {}): LibraryJob => ({
  id: 'job_1',
  status: 'succeeded',
  created_at: Date.UTC(2026, 11, 3, 14, 5) / 1000,
  task: 'transcribe',
  name: 'Board meeting.flac',
  duration: 754.2,
  speakers: ['SPEAKER_00', 'Grievous'],
  revisions: 2,
  revision: 3,
  progress: { processed_seconds: 754.2, total_seconds: 754.2, percent: 100 },
  ...over,
});

describe('library items', () => {
  it('sums a finished job up: date, length, state, speakers, edits', () => {
    expect(jobSummary(job(), 'UTC')).toBe(
      '3 Dec 2026, 14:05 · 12:34 · done · 2 speakers · edited (revision 3)',
    );
    expect(jobSummary(job({ speakers: [], revisions: 0 }), 'UTC')).toBe('3 Dec 2026, 14:05 · 12:34 · done');
  });

  it('shows how far a running job got, and why a failed one failed', () => {
    const running = job({
      status: 'running',
      duration: null,
      speakers: [],
      revisions: 0,
      progress: { processed_seconds: 90, total_seconds: 600, percent: 15 },
    });
    expect(jobSummary(running, 'UTC')).toBe('3 Dec 2026, 14:05 · transcribing: 15 % (01:30 of 10:00)');
    expect(isUnfinished(running)).toBe(true);
    expect(canOpen(running)).toBe(false);
    const failed = job({
      status: 'failed',
      duration: null,
      speakers: [],
      revisions: 0,
      error: { message: 'bad audio' },
    });
    expect(jobSummary(failed, 'UTC')).toContain('failed: bad audio');
    expect(canOpen(job({ result_deleted_at: 1 }))).toBe(false);
  });

  it('names an unnamed job by what it is and when', () => {
    expect(jobTitle(job({ name: null, task: 'translate' }))).toMatch(/^Translation of \d+ Dec 2026/);
  });
});
