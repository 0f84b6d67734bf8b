import { describe, expect, it } from 'vitest';
import type { AudioWindow } from './window-assembler.js';
import { WindowPipeline } from './window-pipeline.js';

const window = (n: number) => ({ samples: new Float32Array(n), offset: n }) as unknown as AudioWindow;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WindowPipeline', () => {
  it('decodes up to its depth at once and hands results on in window order', async () => {
    let running = 0;
    let most = 0;
    const handed: number[] = [];
    const pipeline = new WindowPipeline<number>(
      3,
      async (w) => {
        running++;
        most = Math.max(most, running);
        // Later windows finish first: order must come from the pipeline, not from the engine.
        await sleep(30 - w.samples.length);
        running--;
        return w.samples.length;
      },
      (w, result) => {
        expect(result).toBe(w.samples.length);
        handed.push(result);
      },
    );
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      await pipeline.push(window(n));
      expect(pipeline.heldSamples).toBeLessThanOrEqual(3 * 7);
    }
    await pipeline.finish();
    expect(handed).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('throws the first failure in order, with later failures handled (no unhandled rejection)', async () => {
    const handed: number[] = [];
    const pipeline = new WindowPipeline<number>(
      4,
      async (w) => {
        await sleep(5);
        if (w.samples.length >= 2) throw new Error(`window ${w.samples.length} failed`);
        return w.samples.length;
      },
      (_, result) => {
        handed.push(result);
      },
    );
    for (const n of [1, 2, 3]) await pipeline.push(window(n));
    await expect(pipeline.finish()).rejects.toThrow('window 2 failed');
    expect(handed).toEqual([1]);
    await sleep(20);
  });
});
