/**
 * A deliberately small ONNX graph builder on top of the generated protobuf
 * classes in `onnx-proto`: just enough to emit plain fp32 transformer graphs.
 */
import type { onnx as OnnxNamespace } from 'onnx-proto';
import {
  type AttrValue,
  attr,
  type Dim,
  ELEM_TYPE_CODE,
  type ElemType,
  IR_VERSION,
  OPSET_VERSION,
  onnx,
  rawBytes,
  toAttributeProto,
  valueInfo,
} from './onnx-values.js';

export {
  type AttrValue,
  attr,
  type Dim,
  type ElemType,
  IR_VERSION,
  OPSET_VERSION,
  onnx,
} from './onnx-values.js';

/** What a graph and the branches built inside it share: names are unique model-wide, constants live once. */
interface SharedScope {
  initializers: OnnxNamespace.ITensorProto[];
  usedNames: Set<string>;
  constCache: Map<string, string>;
  counter: number;
}

export class GraphBuilder {
  private readonly nodes: OnnxNamespace.INodeProto[] = [];
  private readonly inputs: OnnxNamespace.IValueInfoProto[] = [];
  private readonly outputs: OnnxNamespace.IValueInfoProto[] = [];
  private readonly scope: SharedScope;

  constructor(
    readonly name: string,
    parent?: GraphBuilder,
  ) {
    this.scope = parent?.scope ?? {
      initializers: [],
      usedNames: new Set(),
      constCache: new Map(),
      counter: 0,
    };
  }

  private get initializers() {
    return this.scope.initializers;
  }
  private get usedNames() {
    return this.scope.usedNames;
  }
  private get constCache() {
    return this.scope.constCache;
  }

  /** A fresh tensor name; graph-wide uniqueness is an ONNX requirement (SSA form). */
  fresh(hint: string): string {
    let candidate = hint;
    while (this.usedNames.has(candidate)) candidate = `${hint}_${++this.scope.counter}`;
    this.usedNames.add(candidate);
    return candidate;
  }

  /**
   * A subgraph for a control-flow node (`If`): its nodes may read any value of this graph by name,
   * and the constants and weights it creates are stored in the outermost graph.
   */
  branch(name: string, build: (b: GraphBuilder) => Array<{ source: string; type: ElemType }>): AttrValue {
    const b = new GraphBuilder(name, this);
    const outputs = build(b);
    return attr.graph({
      name,
      node: b.nodes,
      output: outputs.map(({ source, type }) => {
        if (b.nodes.some((n) => n.output?.includes(source))) return valueInfo(source, type);
        // A branch's outputs must be its own values: an Identity names an outer one inside it.
        const out = b.fresh(`${name}_out`);
        b.nodes.push({ opType: 'Identity', input: [source], output: [out] });
        return valueInfo(out, type);
      }),
    });
  }

  private claim(name: string): string {
    if (this.usedNames.has(name)) throw new Error(`ONNX tensor name already used: ${name}`);
    this.usedNames.add(name);
    return name;
  }

  input(name: string, type: ElemType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, dims));
    return name;
  }

  /** Declares `source` as a graph output called `name` (an Identity bridges differing names). */
  output(name: string, source: string, type: ElemType, dims: readonly Dim[]): void {
    if (source !== name) this.nodes.push({ opType: 'Identity', input: [source], output: [this.claim(name)] });
    this.outputs.push(valueInfo(name, type, dims));
  }

  weight(name: string, data: Float32Array, dims: readonly number[]): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (expected !== data.length) throw new Error(`${name}: ${data.length} values for dims [${dims}]`);
    this.initializers.push({
      name: this.claim(name),
      dataType: ELEM_TYPE_CODE.float32,
      dims: [...dims],
      rawData: rawBytes(data),
    });
    return name;
  }

  /** Small constant tensors, de-duplicated so repeated helpers don't bloat the file. */
  constFloat(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `f:${dims.join(',')}:${values.join(',')}`;
    const cached = this.constCache.get(key);
    if (cached) return cached;
    const name = this.fresh('const_f');
    this.initializers.push({
      name,
      dataType: ELEM_TYPE_CODE.float32,
      dims: [...dims],
      rawData: rawBytes(Float32Array.from(values)),
    });
    this.constCache.set(key, name);
    return name;
  }

  constInt64(values: readonly (number | bigint)[], dims: readonly number[] = [values.length]): string {
    const key = `i:${dims.join(',')}:${values.join(',')}`;
    const cached = this.constCache.get(key);
    if (cached) return cached;
    const name = this.fresh('const_i');
    this.initializers.push({
      name,
      dataType: ELEM_TYPE_CODE.int64,
      dims: [...dims],
      rawData: rawBytes(BigInt64Array.from(values, (v) => BigInt(v))),
    });
    this.constCache.set(key, name);
    return name;
  }

  /** Adds a node with a single output and returns that output's name. */
  op(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue> = {},
    hint?: string,
  ): string {
    const [out] = this.opN(opType, inputs, 1, attrs, hint);
    return out!;
  }

  opN(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attrs: Record<string, AttrValue> = {},
    hint?: string,
  ): string[] {
    const base = hint ?? opType.toLowerCase();
    const outputs = Array.from({ length: outputCount }, (_, i) =>
      this.fresh(outputCount === 1 ? base : `${base}_${i}`),
    );
    this.nodes.push({
      opType,
      name: this.fresh(`${base}_node`),
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => toAttributeProto(k, v)),
    });
    return outputs;
  }

  toBytes(docString = ''): Uint8Array {
    const model: OnnxNamespace.IModelProto = {
      irVersion: IR_VERSION,
      producerName: 'whisper-edge tiny-whisper',
      producerVersion: '1',
      docString,
      opsetImport: [{ domain: '', version: OPSET_VERSION }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}
