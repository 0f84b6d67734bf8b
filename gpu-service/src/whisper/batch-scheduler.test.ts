import { describe, expect, it } from 'vitest';
import { BatchScheduler, LIVE_STREAK_LIMIT, PRIORITY } from './batch-scheduler.js';
import type { DecodeOptions, WindowResult } from './decode-types.js';

/** An engine stand-in that records the batches it is given and answers with each window's length. */
function recordingEngine() {
  const batches: Array<{ sizes: number[]; language: string | undefined }> = [];
  return {
    batches,
    engine: {
      async transcribeWindows(windows: Float32Array[], options: DecodeOptions): Promise<WindowResult[]> {
        batches.push({ sizes: windows.map((w) => w.length), language: options.language });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return windows.map((w) => ({ text: String(w.length) }) as WindowResult);
      },
    },
  };
}

const options = (language: string): DecodeOptions => ({ language, task: 'transcribe', withTimestamps: true });
const windows = (...sizes: number[]) => sizes.map((n) => new Float32Array(n));

describe('BatchScheduler', () => {
  it('fills batches with windows of concurrent requests and gives each request its own results', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 4);
    const [a, b] = await Promise.all([
      scheduler.transcribeWindows(windows(1, 2, 3), options('en')),
      scheduler.transcribeWindows(windows(4, 5, 6), options('en')),
    ]);
    expect(a.map((r) => r.text)).toEqual(['1', '2', '3']);
    expect(b.map((r) => r.text)).toEqual(['4', '5', '6']);
    // One window of each request in turn.
    expect(batches.map((x) => x.sizes)).toEqual([
      [1, 4, 2, 5],
      [3, 6],
    ]);
  });

  it('lets a short request in after one batch of a long one that queued many windows', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 1);
    const long = scheduler.transcribeWindows(windows(1, 2, 3, 4, 5), options('en'));
    await new Promise((resolve) => setTimeout(resolve, 2));
    const short = scheduler.transcribeWindows(windows(9), options('en'));
    await Promise.all([long, short]);
    expect(batches.map((x) => x.sizes)).toEqual([[1], [9], [2], [3], [4], [5]]);
  });

  it('never mixes windows that need different prompts', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 8);
    await Promise.all([
      scheduler.transcribeWindows(windows(1, 2), options('en')),
      scheduler.transcribeWindows(windows(3), options('de')),
      scheduler.transcribeWindows(windows(4), options('en')),
    ]);
    expect(batches).toEqual([
      { sizes: [1, 4, 2], language: 'en' },
      { sizes: [3], language: 'de' },
    ]);
  });

  it('fails only the requests of a failed batch', async () => {
    let calls = 0;
    const scheduler = new BatchScheduler(
      {
        async transcribeWindows(w: Float32Array[]) {
          calls++;
          if (calls === 1) throw new Error('device lost');
          return w.map(() => ({ text: 'ok' }) as WindowResult);
        },
      },
      1,
    );
    const [first, second] = await Promise.allSettled([
      scheduler.transcribeWindows(windows(1), options('en')),
      scheduler.transcribeWindows(windows(2), options('en')),
    ]);
    expect(first.status).toBe('rejected');
    expect(second).toMatchObject({ status: 'fulfilled', value: [{ text: 'ok' }] });
  });

  it('runs live steps before batch work already waiting, finals before partials', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 1);
    await Promise.all([
      scheduler.transcribeWindows(windows(1, 2), options('en')),
      scheduler.transcribeWindows(windows(3), options('en'), PRIORITY.livePartial),
      scheduler.transcribeWindows(windows(4), options('en'), PRIORITY.liveFinal),
    ]);
    expect(batches.map((x) => x.sizes[0])).toEqual([4, 3, 1, 2]);
  });

  it('never batches live and batch windows together, even with the same prompt', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 8);
    await Promise.all([
      scheduler.transcribeWindows(windows(1), options('en')),
      scheduler.transcribeWindows(windows(2), options('en'), PRIORITY.livePartial),
      scheduler.transcribeWindows(windows(3), options('en'), PRIORITY.livePartial),
    ]);
    expect(batches.map((x) => x.sizes)).toEqual([[2, 3], [1]]);
  });

  it('does not starve batch work: one batch runs after every few live batches while it waits', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 1);
    const live = Array.from({ length: 2 * LIVE_STREAK_LIMIT + 2 }, (_, i) => 100 + i);
    await Promise.all([
      scheduler.transcribeWindows(windows(1, 2), options('en')),
      ...live.map((n) => scheduler.transcribeWindows(windows(n), options('en'), PRIORITY.livePartial)),
    ]);
    const order = batches.map((x) => x.sizes[0]!);
    // Batch windows come in after each streak of live ones, not after all of them.
    expect(order.indexOf(1)).toBe(LIVE_STREAK_LIMIT);
    expect(order.indexOf(2)).toBe(2 * LIVE_STREAK_LIMIT + 1);
    expect(order.filter((n) => n >= 100)).toEqual(live);
  });
});
