/** Splicing ONNX graphs into one another (onnx-proto messages), for building contrib-op chains. */
import { createRequire } from 'node:module';
import type { onnx as OnnxNamespace } from 'onnx-proto';

// onnx-proto ships CommonJS whose typings claim ES named exports; `require` is the reliable path.
export const { onnx } = createRequire(import.meta.url)('onnx-proto') as { onnx: typeof OnnxNamespace };
export type Graph = OnnxNamespace.IGraphProto;
export type Node = OnnxNamespace.INodeProto;
const dimsOf = (dims: Array<number | string>) => ({
  dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
});
export const info = (
  name: string,
  elemType: number,
  dims?: Array<number | string>,
): OnnxNamespace.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, ...(dims ? { shape: dimsOf(dims) } : {}) } },
});

/**
 * Copies a graph's nodes with every value name prefixed (initializers get `weightPrefix`, shared by
 * all copies of the same file, so weights are stored once); `bind` maps the graph's inputs to values
 * of the graph they are pasted into. Returns the nodes and the new names of the graph's outputs.
 */
export function inline(
  graph: Graph,
  prefix: string,
  weightPrefix: string,
  bind: Record<string, string>,
): { nodes: Node[]; outputs: Record<string, string> } {
  const weights = new Set((graph.initializer ?? []).map((t) => t.name!));
  const rename = (name: string): string => {
    if (name === '') return name;
    if (Object.hasOwn(bind, name)) return bind[name]!;
    return weights.has(name) ? `${weightPrefix}${name}` : `${prefix}${name}`;
  };
  const copyNodes = (nodes: Node[]): Node[] =>
    nodes.map((n) => ({
      ...n,
      name: n.name ? `${prefix}${n.name}` : null,
      input: (n.input ?? []).map(rename),
      output: (n.output ?? []).map(rename),
      attribute: (n.attribute ?? []).map((a) => (a.g ? { ...a, g: copyBranch(a.g) } : a)),
    }));
  const copyBranch = (g: Graph): Graph => ({
    ...g,
    node: copyNodes(g.node ?? []),
    initializer: (g.initializer ?? []).map((t) => ({ ...t, name: rename(t.name!) })),
    input: (g.input ?? []).map((v) => ({ ...v, name: rename(v.name!) })),
    output: (g.output ?? []).map((v) => ({ ...v, name: rename(v.name!) })),
  });
  for (const n of graph.node ?? [])
    for (const a of n.attribute ?? [])
      for (const sub of [a.g, ...(a.graphs ?? [])])
        for (const t of sub?.initializer ?? []) weights.delete(t.name!); // branch-local, renamed with prefix
  const outputs: Record<string, string> = {};
  for (const o of graph.output ?? []) outputs[o.name!] = rename(o.name!);
  return { nodes: copyNodes(graph.node ?? []), outputs };
}

export const weightsOf = (graph: Graph, weightPrefix: string) =>
  (graph.initializer ?? []).map((t) => ({ ...t, name: `${weightPrefix}${t.name}` }));

export function constTensor(name: string, dataType: number, dims: number[], raw: Uint8Array) {
  return { name, dataType, dims, rawData: raw };
}
