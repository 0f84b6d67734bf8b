import * as ort from 'onnxruntime-node';

type Rows = Float32Array | Uint16Array;

const rowsOf = (tensor: ort.Tensor): Rows => tensor.data as Rows;

/** A batch-first tensor's row size in elements. */
const rowSize = (tensor: ort.Tensor) => (tensor.dims[0] === 0 ? 0 : tensor.data.length / tensor.dims[0]!);

function build(type: ort.Tensor['type'], data: Rows, rows: number, like: readonly number[]): ort.Tensor {
  return new ort.Tensor(type as 'float32', data as Float32Array, [rows, ...like.slice(1)]);
}

/**
 * The given rows of a batch-first tensor (float32, or float16 from CUDA exports), in that order: what
 * stays of a batch when some of its sequences leave it.
 */
export function takeRows(tensor: ort.Tensor, rows: readonly number[]): ort.Tensor {
  const size = rowSize(tensor);
  const source = rowsOf(tensor);
  const out = new (source.constructor as new (n: number) => Rows)(rows.length * size);
  rows.forEach((row, i) => {
    out.set(source.subarray(row * size, (row + 1) * size), i * size);
  });
  return build(tensor.type, out, rows.length, tensor.dims);
}

/** Batch-first tensors of the same row shape, stacked: two batches at the same position become one. */
export function stackTensors(tensors: readonly ort.Tensor[]): ort.Tensor {
  const first = tensors[0]!;
  const size = rowSize(first);
  const rows = tensors.reduce((n, t) => n + t.dims[0]!, 0);
  const out = new (rowsOf(first).constructor as new (n: number) => Rows)(rows * size);
  let at = 0;
  for (const tensor of tensors) {
    out.set(rowsOf(tensor), at);
    at += tensor.data.length;
  }
  return build(first.type, out, rows, first.dims);
}

/** One row of a batch-first tensor per entry, stacked into a new batch (rows may repeat). */
export function gatherRows(entries: ReadonlyArray<{ tensor: ort.Tensor; row: number }>): ort.Tensor {
  const first = entries[0]!.tensor;
  const size = rowSize(first);
  const out = new (rowsOf(first).constructor as new (n: number) => Rows)(entries.length * size);
  entries.forEach(({ tensor, row }, i) => {
    out.set(rowsOf(tensor).subarray(row * size, (row + 1) * size), i * size);
  });
  return build(first.type, out, entries.length, first.dims);
}
