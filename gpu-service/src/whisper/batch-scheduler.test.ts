import { describe, expect, it } from 'vitest';
import { BatchScheduler, LIVE_LANES, LIVE_STREAK_LIMIT, PRIORITY } from './batch-scheduler.js';
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

  it('counts windows handed in one by one under one owner as one request in the fair share', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 1);
    const long = {};
    const other = {};
    // The long request keeps three windows queued, one call each (as a pipelined request does).
    const first = [1, 2, 3].map((n) =>
      scheduler.transcribeWindows(windows(n), options('en'), PRIORITY.batch, { owner: long }),
    );
    await new Promise((resolve) => setTimeout(resolve, 2));
    const short = scheduler.transcribeWindows(windows(9), options('en'), PRIORITY.batch, { owner: other });
    await Promise.all([...first, short]);
    // Served once already, the long request waits its turn: the newcomer goes next.
    expect(batches.map((x) => x.sizes)).toEqual([[1], [9], [2], [3]]);
  });

  it('drops a request’s queued windows when its signal aborts, and goes on with the others', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 1);
    const controller = new AbortController();
    const abandoned = scheduler.transcribeWindows(windows(1, 2, 3), options('en'), PRIORITY.batch, {
      signal: controller.signal,
    });
    const kept = scheduler.transcribeWindows(windows(7), options('en'));
    await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort(new Error('client went away'));
    await expect(abandoned).rejects.toThrow('client went away');
    expect((await kept).map((r) => r.text)).toEqual(['7']);
    // Only the window already handed to the engine ran, then the other request's.
    expect(batches.map((x) => x.sizes)).toEqual([[1], [7]]);
    await expect(
      scheduler.transcribeWindows(windows(5), options('en'), PRIORITY.batch, { signal: controller.signal }),
    ).rejects.toThrow('client went away');
  });

  it('opens a lane past its concurrency for a live window while batch work holds every lane', async () => {
    const started: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const engine = {
      async transcribeWindows(w: Float32Array[], o: DecodeOptions): Promise<WindowResult[]> {
        started.push(`${w[0]!.length}${o.urgent ? ' urgent' : ''}`);
        if (!o.urgent) await held;
        return w.map(() => ({ text: '' }) as WindowResult);
      },
    };
    const scheduler = new BatchScheduler(engine, 1, 1);
    const batch = scheduler.transcribeWindows(windows(1, 2), options('en'));
    await new Promise((resolve) => setTimeout(resolve, 2));
    await scheduler.transcribeWindows(windows(5), options('en'), PRIORITY.liveFinal);
    // The live window ran (marked urgent) while the file's first window still held the only lane.
    expect(started).toEqual(['1', '5 urgent']);
    release();
    await batch;
    expect(started).toEqual(['1', '5 urgent', '2']);
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

  it('does not starve batch work: the shared lane runs it after every few live batches while it waits', async () => {
    const { engine, batches } = recordingEngine();
    const scheduler = new BatchScheduler(engine, 1);
    const live = Array.from({ length: 40 }, (_, i) => 100 + i);
    await Promise.all([
      scheduler.transcribeWindows(windows(1, 2), options('en')),
      ...live.map((n) => scheduler.transcribeWindows(windows(n), options('en'), PRIORITY.livePartial)),
    ]);
    const order = batches.map((x) => x.sizes[0]!);
    // Live windows also have their own lanes, so a round starts up to 1 + LIVE_LANES of them; the
    // shared lane gives batch work a turn after LIVE_STREAK_LIMIT live batches of its own.
    const most = (LIVE_STREAK_LIMIT + 1) * (1 + LIVE_LANES);
    expect(order.indexOf(1)).toBeLessThanOrEqual(most);
    expect(order.indexOf(2) - order.indexOf(1)).toBeLessThanOrEqual(most);
    expect(order.indexOf(2)).toBeLessThan(order.length - 10);
    expect(order.filter((n) => n >= 100)).toEqual(live);
  });
});
