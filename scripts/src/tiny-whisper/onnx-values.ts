/**
 * The protobuf values an ONNX graph is made of (onnx-proto's generated classes): opset, element
 * types, attributes, value infos and raw tensor bytes; onnx-builder.ts builds graphs from them.
 */
import { createRequire } from 'node:module';
import type { onnx as OnnxNamespace } from 'onnx-proto';

// onnx-proto ships CommonJS whose typings claim ES named exports; under Node ESM
// the namespace only appears on `default`, so `require` is the reliable path.
export const { onnx } = createRequire(import.meta.url)('onnx-proto') as { onnx: typeof OnnxNamespace };

/**
 * IR 8 + opset 17 is the newest pairing the vendored onnx-proto (onnx 1.10 schema)
 * can express faithfully, and onnxruntime-node 1.30 loads it. Opset 17 is also the
 * first with a native LayerNormalization op.
 */
export const IR_VERSION = 8;
export const OPSET_VERSION = 17;

export type ElemType = 'float32' | 'int64' | 'bool';

export const ELEM_TYPE_CODE: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** A dimension is either fixed or a symbolic name (shared names mean "same size"). */
export type Dim = number | string;

export type AttrValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'graph'; value: OnnxNamespace.IGraphProto };

// Explicit constructors because ONNX cares whether 1 is an INT or a FLOAT attribute.
export const attr = {
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  ints: (value: readonly number[]): AttrValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttrValue => ({ kind: 'floats', value }),
  /** A subgraph, e.g. an `If` node's `then_branch` (see GraphBuilder.branch). */
  graph: (value: OnnxNamespace.IGraphProto): AttrValue => ({ kind: 'graph', value }),
};

export function toAttributeProto(name: string, a: AttrValue): OnnxNamespace.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'graph':
      return { name, type: T.GRAPH, g: a.value };
  }
}

/** `dims` undefined leaves the shape unstated (subgraph outputs whose shape differs by branch). */
export function valueInfo(
  name: string,
  type: ElemType,
  dims?: readonly Dim[],
): OnnxNamespace.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM_TYPE_CODE[type],
        ...(dims
          ? { shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } }
          : {}),
      },
    },
  };
}

/** View typed-array memory as bytes. ONNX raw_data is little-endian, as is every host we target. */
export function rawBytes(data: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
