import type { onnx as OnnxNamespace } from 'onnx-proto';
import { onnx } from '../tiny-whisper/onnx-builder.js';

/**
 * What one cached decoder step must read from memory, in bytes, for a merged decoder file: every
 * initializer on the cached path (the main graph and each `If`'s then-branch, the `use_cache_branch`
 * side), except tables only gathered from (embeddings: one row each), plus the cross-attention cache
 * (fp32 K and V over all encoder frames, every layer) and the self-attention cache at `position`.
 */
export function decoderStepBytes(
  model: Uint8Array,
  shape: { layers: number; dModel: number; frames: number; position: number },
): { weights: number; caches: number } {
  const { graph } = onnx.ModelProto.decode(model);
  const initializers = new Map((graph!.initializer ?? []).map((t) => [t.name!, t]));
  const used = new Set<string>();
  const gatheredOnly = new Set<string>();
  const read = new Set<string>();
  const walk = (g: OnnxNamespace.IGraphProto) => {
    for (const node of g.node ?? []) {
      for (const [i, input] of (node.input ?? []).entries()) {
        if (!initializers.has(input)) continue;
        used.add(input);
        if (node.opType === 'Gather' && i === 0) gatheredOnly.add(input);
        else read.add(input);
      }
      const cached = node.attribute?.find((a) => a.name === 'then_branch')?.g;
      if (cached) walk(cached);
    }
  };
  walk(graph!);
  let weights = 0;
  for (const name of used) {
    if (gatheredOnly.has(name) && !read.has(name)) continue;
    const t = initializers.get(name)!;
    weights += t.rawData?.length ?? (t.floatData?.length ?? 0) * 4;
  }
  const kv = 2 * shape.layers * shape.dModel * 4;
  return { weights, caches: kv * (shape.frames + shape.position) };
}
