/**
 * Int8 weights for an ONNX model's MatMuls, written here because onnxruntime's quantiser is Python
 * only. Every MatMul whose second input is a 2-D float initializer W [K, N] (in the main graph or in
 * any `If` branch) becomes one of onnxruntime's contrib ops with W in 8 bits:
 *
 * - `nbits`: `com.microsoft.MatMulNBits` (bits 8), W in blocks of `blockSize` along K, one scale per
 *   block and column, symmetric around the op's default zero point of 128; `accuracy_level` 4 makes it
 *   quantise the activations per block too and multiply in int8 (level 0 has no fast 8-bit kernel).
 * - `dynamic`: `com.microsoft.DynamicQuantizeMatMul`, W symmetric per column, the activations
 *   quantised per tensor at run time: what `quantize_dynamic(per_channel=True)` becomes once
 *   onnxruntime fuses it.
 *
 * Everything else (embeddings, convolutions, norms, attention) stays float. In Transformers.js's
 * naming the result is a `*_quantized.onnx` file (dtype q8).
 */
import type { onnx as OnnxNamespace } from 'onnx-proto';
import { onnx } from './onnx-builder.js';

type Graph = OnnxNamespace.IGraphProto;
type Tensor = OnnxNamespace.ITensorProto;

const { FLOAT, INT8, UINT8 } = onnx.TensorProto.DataType;
const MS_DOMAIN = 'com.microsoft';

/** Graphs nested in a graph's nodes (If branches, Loop bodies), depth first, the graph itself first. */
function* graphs(graph: Graph): Generator<Graph> {
  yield graph;
  for (const node of graph.node ?? [])
    for (const a of node.attribute ?? []) {
      if (a.g) yield* graphs(a.g);
      for (const g of a.graphs ?? []) yield* graphs(g);
    }
}

function floats(t: Tensor): Float32Array {
  if (t.rawData?.length) {
    // Copied: protobuf hands out views at any byte offset, Float32Array needs 4-byte alignment.
    const bytes = Uint8Array.from(t.rawData);
    return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

const scaleOf = (max: number) => max / 127 || 1;

/** Symmetric per-column int8 of W [rows, cols]: column c is scaled by max|W[:, c]| / 127. */
export function quantizeColumns(w: Float32Array, rows: number, cols: number) {
  const scales = new Float32Array(cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) scales[c] = Math.max(scales[c]!, Math.abs(w[r * cols + c]!));
  for (let c = 0; c < cols; c++) scales[c] = scaleOf(scales[c]!);
  const values = new Int8Array(w.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) values[r * cols + c] = Math.round(w[r * cols + c]! / scales[c]!);
  return { values, scales };
}

/**
 * MatMulNBits' layout of W [rows, cols] in 8 bits: transposed, [cols][blocks][block] codes (128 + the
 * rounded value, K padded with zeros to whole blocks) and [cols][blocks] scales.
 */
export function quantizeBlocks(w: Float32Array, rows: number, cols: number, block: number) {
  const blocks = Math.ceil(rows / block);
  const values = new Uint8Array(cols * blocks * block).fill(128);
  const scales = new Float32Array(cols * blocks);
  for (let c = 0; c < cols; c++)
    for (let b = 0; b < blocks; b++) {
      const end = Math.min(rows, (b + 1) * block);
      let max = 0;
      for (let r = b * block; r < end; r++) max = Math.max(max, Math.abs(w[r * cols + c]!));
      const scale = scaleOf(max);
      scales[c * blocks + b] = scale;
      for (let r = b * block; r < end; r++)
        values[(c * blocks + b) * block + r - b * block] = 128 + Math.round(w[r * cols + c]! / scale);
    }
  return { values, scales, blocks };
}

export interface QuantizeOptions {
  format: 'nbits' | 'dynamic';
  /** `nbits`: K per block (a power of two ≥ 16). Default 32. */
  blockSize?: number;
}

export interface QuantizeReport {
  matmuls: number;
  /** Float bytes of the weights replaced, and the int8 bytes (with scales) that replaced them. */
  floatBytes: number;
  int8Bytes: number;
}

const int = (name: string, i: number): OnnxNamespace.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INT,
  i,
});

export function quantizeMatMuls(
  bytes: Uint8Array,
  options: QuantizeOptions,
): { bytes: Uint8Array; report: QuantizeReport } {
  const block = options.blockSize ?? 32;
  const model = onnx.ModelProto.decode(bytes);
  const main = model.graph!;
  const initializers = new Map((main.initializer ?? []).map((t) => [t.name!, t]));
  const replaced = new Map<string, { inputs: string[]; attributes: OnnxNamespace.IAttributeProto[] }>();
  const report: QuantizeReport = { matmuls: 0, floatBytes: 0, int8Bytes: 0 };

  const quantize = (weight: Tensor) => {
    const name = weight.name!;
    const [rows, cols] = weight.dims!.map(Number) as [number, number];
    const q = `${name}_quantized`;
    const scale = `${name}_scale`;
    if (options.format === 'dynamic') {
      const { values, scales } = quantizeColumns(floats(weight), rows, cols);
      main.initializer!.push(
        { name: q, dataType: INT8, dims: [rows, cols], rawData: new Uint8Array(values.buffer) },
        { name: scale, dataType: FLOAT, dims: [cols], rawData: new Uint8Array(scales.buffer) },
      );
      report.int8Bytes += values.length + scales.byteLength;
      return { inputs: [q, scale], attributes: [] };
    }
    const { values, scales, blocks } = quantizeBlocks(floats(weight), rows, cols, block);
    main.initializer!.push(
      { name: q, dataType: UINT8, dims: [cols, blocks, block], rawData: values },
      { name: scale, dataType: FLOAT, dims: [cols, blocks], rawData: new Uint8Array(scales.buffer) },
    );
    report.int8Bytes += values.length + scales.byteLength;
    return {
      inputs: [q, scale],
      attributes: [
        int('K', rows),
        int('N', cols),
        int('bits', 8),
        int('block_size', block),
        int('accuracy_level', 4),
      ],
    };
  };

  for (const graph of graphs(main)) {
    for (const node of graph.node ?? []) {
      const weight = node.opType === 'MatMul' ? initializers.get(node.input![1]!) : undefined;
      if (!weight || weight.dataType !== FLOAT || weight.dims?.length !== 2) continue;
      let done = replaced.get(weight.name!);
      if (!done) {
        done = quantize(weight);
        replaced.set(weight.name!, done);
        report.floatBytes += floats(weight).byteLength;
      }
      node.opType = options.format === 'dynamic' ? 'DynamicQuantizeMatMul' : 'MatMulNBits';
      node.domain = MS_DOMAIN;
      node.input = [node.input![0]!, ...done.inputs];
      node.attribute = done.attributes;
      report.matmuls++;
    }
  }

  // The float weights go unless something else still reads them.
  const read = new Set<string>();
  for (const graph of graphs(main))
    for (const node of graph.node ?? []) for (const input of node.input ?? []) read.add(input);
  main.initializer = main.initializer!.filter((t) => !replaced.has(t.name!) || read.has(t.name!));
  if (!model.opsetImport?.some((o) => o.domain === MS_DOMAIN))
    model.opsetImport = [...(model.opsetImport ?? []), { domain: MS_DOMAIN, version: 1 }];
  return { bytes: onnx.ModelProto.encode(model).finish(), report };
}
