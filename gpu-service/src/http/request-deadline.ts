import { ApiError } from '@whisper-edge/shared';

/**
 * Runs `work` under a wall-clock budget: its signal aborts when the caller goes away or the budget
 * runs out, and running out becomes a 504 naming the limit instead of whatever the aborted step threw.
 */
export async function withDeadline<T>(
  seconds: number,
  upstream: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new Error('deadline')),
    Math.min(seconds * 1000, 2 ** 31 - 1),
  );
  const signal = AbortSignal.any([upstream, deadline.signal]);
  try {
    return await work(signal);
  } catch (error) {
    if (deadline.signal.aborted && !upstream.aborted) {
      throw new ApiError(
        504,
        `The request passed its ${seconds}-second deadline (MAX_REQUEST_SECONDS) and was stopped`,
        { code: 'deadline_exceeded' },
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
