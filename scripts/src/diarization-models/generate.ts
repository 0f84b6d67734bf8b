/**
 * Random-weight stand-ins for the neural diarization models, with the real models' interfaces, so the
 * neural path runs end to end here (no downloads): the plumbing is real, the judgements are not.
 *
 * - segmentation (pyannote segmentation-3.0 ONNX): `input_values` float [batch, 1, samples] (10 s at
 *   16 kHz) → `logits` [batch, frames, 7], log-softmax over the powerset classes of 3 speakers, one frame
 *   per 270 samples with a 991-sample receptive field (589 frames for 10 s), as the real model.
 * - embedding (WeSpeaker ResNet34 ONNX): `feats` float [batch, frames, 80] Kaldi fbank → `embs` [batch, 256].
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { attr, GraphBuilder } from '../tiny-whisper/onnx-builder.js';
import { Rng } from '../tiny-whisper/rng.js';

export const RECEPTIVE_FIELD = 991;
export const FRAME_STEP = 270;

export function segmentationGraph(seed: number): Uint8Array {
  const rng = new Rng(seed);
  const g = new GraphBuilder('tiny-pyannote-segmentation');
  const input = g.input('input_values', 'float32', ['batch', 1, 'samples']);
  const filters = g.weight('conv.weight', rng.fork('conv').normalArray(7 * RECEPTIVE_FIELD, 0.5), [
    7,
    1,
    RECEPTIVE_FIELD,
  ]);
  // Silence (a zero window) lands on class 0, "no speech", as with the real model.
  const bias = g.weight('conv.bias', Float32Array.from([0.5, 0, 0, 0, -0.2, -0.2, -0.2]), [7]);
  const conv = g.op('Conv', [input, filters, bias], { strides: attr.ints([FRAME_STEP]) }, 'frames');
  const framesLast = g.op('Transpose', [conv], { perm: attr.ints([0, 2, 1]) }, 'frames_last');
  const logits = g.op('LogSoftmax', [framesLast], { axis: attr.int(-1) }, 'log_probs');
  g.output('logits', logits, 'float32', ['batch', 'frames', 7]);
  return g.toBytes('random-weight stand-in with the interface of pyannote/segmentation-3.0');
}

export function embeddingGraph(seed: number): Uint8Array {
  const rng = new Rng(seed);
  const g = new GraphBuilder('tiny-wespeaker-embedding');
  const feats = g.input('feats', 'float32', ['batch', 'frames', 80]);
  // Statistics pooling (the mean over time) then a projection to 256 dimensions, as the real head does.
  const pooled = g.op('ReduceMean', [feats], { axes: attr.ints([1]), keepdims: attr.int(0) }, 'pooled');
  const weight = g.weight('proj.weight', rng.fork('proj').normalArray(80 * 256, 0.1), [80, 256]);
  const bias = g.weight('proj.bias', rng.fork('bias').normalArray(256, 0.01), [256]);
  const projected = g.op('Add', [g.op('MatMul', [pooled, weight], {}, 'proj'), bias], {}, 'embs_out');
  g.output('embs', projected, 'float32', ['batch', 256]);
  return g.toBytes('random-weight stand-in with the interface of WeSpeaker ResNet34');
}

export interface DiarizationTestModels {
  segmentation: string;
  embedding: string;
}

/** Writes both models as `<dir>/onnx/model.onnx` (the hub layout `resolveOnnxFile` reads). */
export async function generateDiarizationModels(root: string, seed = 5): Promise<DiarizationTestModels> {
  const segmentation = path.join(root, 'segmentation-test');
  const embedding = path.join(root, 'embedding-test');
  for (const [dir, bytes] of [
    [segmentation, segmentationGraph(seed)],
    [embedding, embeddingGraph(seed + 1)],
  ] as const) {
    await mkdir(path.join(dir, 'onnx'), { recursive: true });
    await writeFile(path.join(dir, 'onnx/model.onnx'), bytes);
  }
  return { segmentation, embedding };
}
