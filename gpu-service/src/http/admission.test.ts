import { ApiError } from '@whisper-edge/shared';
import { describe, expect, it } from 'vitest';
import { Admission } from './admission.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('Admission', () => {
  it('runs up to the limit, queues a bounded number, and answers 429 with Retry-After beyond', async () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueue: 1 });
    const first = gate();
    const order: string[] = [];
    const a = admission.run(async () => {
      order.push('a');
      await first.opened;
    });
    const b = admission.run(async () => {
      order.push('b');
    });
    expect(admission.inFlight).toBe(1);
    expect(admission.queued).toBe(1);
    const refused = await admission.run(async () => undefined).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(429);
    expect((refused as ApiError).retryAfter).toBeGreaterThanOrEqual(1);
    first.open();
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
    expect(admission.inFlight).toBe(0);
  });

  it('frees the slot when work fails', async () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueue: 0 });
    await expect(admission.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(admission.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('drains: waits for admitted work, then refuses new work with 503', async () => {
    const admission = new Admission({ maxConcurrent: 2, maxQueue: 2 });
    const slow = gate();
    let finished = false;
    const running = admission.run(async () => {
      await slow.opened;
      finished = true;
    });
    const drained = admission.drain();
    const refused = await admission.run(async () => undefined).catch((e: unknown) => e);
    expect((refused as ApiError).status).toBe(503);
    expect(finished).toBe(false);
    slow.open();
    await drained;
    expect(finished).toBe(true);
    await running;
  });
});
