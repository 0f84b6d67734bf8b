import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startProgress } from './progress.js';

let bar: HTMLProgressElement;
let status: HTMLElement;
let busy: HTMLElement;
let now = 0;

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML =
    '<section aria-busy="false"><progress hidden value="0"></progress><p></p></section>';
  bar = document.querySelector('progress')!;
  status = document.querySelector('p')!;
  busy = document.querySelector('section')!;
  now = 0;
});
afterEach(() => vi.useRealTimers());

describe('startProgress', () => {
  it('shows an indeterminate bar, marks the region busy and counts elapsed time', () => {
    startProgress({ bar, status, busy }, 'Transcribing a.wav', () => now);
    expect(bar.hidden).toBe(false);
    expect(bar.hasAttribute('value')).toBe(false);
    expect(busy.getAttribute('aria-busy')).toBe('true');
    expect(status.textContent).toBe('Transcribing a.wav… 0:00');
    now = 65_400;
    vi.advanceTimersByTime(500);
    expect(status.textContent).toBe('Transcribing a.wav… 1:05');
  });

  it('takes a fraction and detail from a streaming source', () => {
    const progress = startProgress({ bar, status, busy }, 'Transcribing', () => now);
    progress.update(0.4, 'hello world');
    expect(bar.value).toBeCloseTo(0.4);
    expect(status.textContent).toBe('Transcribing… 0:00 · hello world');
  });

  it('ends with the outcome, the region no longer busy and the timer stopped', () => {
    const progress = startProgress({ bar, status, busy }, 'Transcribing', () => now);
    now = 3_000;
    progress.finish('Failed: GPU service unavailable', 'failed');
    expect(bar.hidden).toBe(true);
    expect(busy.getAttribute('aria-busy')).toBe('false');
    expect(status.textContent).toBe('Failed: GPU service unavailable (0:03)');
    expect(status.dataset.outcome).toBe('failed');
    now = 10_000;
    vi.advanceTimersByTime(2_000);
    expect(status.textContent).toBe('Failed: GPU service unavailable (0:03)');
  });
});
