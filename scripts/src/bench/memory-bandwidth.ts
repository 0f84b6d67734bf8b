import * as ort from 'onnxruntime-node';
import { attr, GraphBuilder } from '../tiny-whisper/onnx-builder.js';

const ROWS = 65536;
const COLS = 1024;

/**
 * The machine's memory read bandwidth as onnxruntime sees it, in bytes per second: a row sum over a
 * 256 MiB weight (far beyond any cache) on the given threads, best of `runs`. Graph optimisation is off
 * so the sum is not folded away at load; the weight is read once per run, as a decoder step reads its
 * weights.
 */
export async function memoryBandwidth(threads: number, runs = 8): Promise<number> {
  const g = new GraphBuilder('bandwidth');
  const weight = new Float32Array(ROWS * COLS);
  for (let i = 0; i < weight.length; i++) weight[i] = (i % 7) * 0.1;
  const w = g.weight('w', weight, [ROWS, COLS]);
  const scale = g.input('scale', 'float32', [1]);
  const sums = g.op('ReduceSum', [w, g.constInt64([1])], { keepdims: attr.int(1) });
  g.output('sums', g.op('Mul', [sums, scale]), 'float32', [ROWS, 1]);
  const session = await ort.InferenceSession.create(g.toBytes(), {
    intraOpNumThreads: threads,
    graphOptimizationLevel: 'disabled',
  });
  try {
    const feeds = { scale: new ort.Tensor('float32', new Float32Array([1]), [1]) };
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await session.run(feeds);
      best = Math.min(best, (performance.now() - started) / 1000);
    }
    return weight.byteLength / best;
  } finally {
    await session.release();
  }
}
