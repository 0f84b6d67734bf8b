/**
 * Token times from the decoder's cross-attention (Whisper's word-level alignment): the alignment heads'
 * attention over the encoder frames is normalised per frame, smoothed along time with a median filter,
 * averaged over heads, and a monotonic path through it (dynamic time warping) gives each token the
 * frame where it starts. This reproduces Transformers.js's `_extract_token_timestamps`, down to its
 * float32 rounding and tie-breaking, so our words land where its pipeline puts them.
 */

/** One encoder frame is 20 ms of audio. */
export const SECONDS_PER_FRAME = 0.02;

const f32 = Math.fround;

/** Median over a sliding odd window; the edges mirror the data (…, x2, x1, x0, x1, x2, …). */
export function medianFilter(data: Float32Array, width: number): Float32Array {
  if (width <= 0 || width % 2 === 0) throw new Error('median filter width must be a positive odd number');
  if (width === 7 && data.length >= 4) return medianOf7(data);
  const out = new Float32Array(data.length);
  const buffer = new Float64Array(width);
  const half = width >> 1;
  const last = data.length - 1;
  for (let i = 0; i < data.length; i++) {
    // Insertion sort: for a handful of values it is several times faster than TypedArray#sort, which
    // dominated the alignment's cost.
    for (let k = 0; k < width; k++) {
      let index = i + k - half;
      if (index < 0) index = -index;
      else if (index > last) index = 2 * last - index;
      const value = data[index]!;
      let at = k;
      while (at > 0 && buffer[at - 1]! > value) {
        buffer[at] = buffer[at - 1]!;
        at--;
      }
      buffer[at] = value;
    }
    out[i] = buffer[half]!;
  }
  return out;
}

/**
 * Whisper's width (7) without data-dependent branches: a sort's comparisons on noisy attention
 * mispredict so often that a 16-comparator sorting network (Knuth), unrolled with min/max over a
 * mirrored copy, is faster.
 */
function medianOf7(data: Float32Array): Float32Array {
  const n = data.length;
  const p = new Float32Array(n + 6);
  p.set(data, 3);
  for (let k = 1; k <= 3; k++) {
    p[3 - k] = data[k]!;
    p[n + 2 + k] = data[n - 1 - k]!;
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let a0 = p[i]!;
    let a1 = p[i + 1]!;
    let a2 = p[i + 2]!;
    let a3 = p[i + 3]!;
    let a4 = p[i + 4]!;
    let a5 = p[i + 5]!;
    let a6 = p[i + 6]!;
    let t: number;
    t = Math.min(a0, a6);
    a6 = Math.max(a0, a6);
    a0 = t;
    t = Math.min(a2, a3);
    a3 = Math.max(a2, a3);
    a2 = t;
    t = Math.min(a4, a5);
    a5 = Math.max(a4, a5);
    a4 = t;
    t = Math.min(a0, a2);
    a2 = Math.max(a0, a2);
    a0 = t;
    t = Math.min(a1, a4);
    a4 = Math.max(a1, a4);
    a1 = t;
    t = Math.min(a3, a6);
    a6 = Math.max(a3, a6);
    a3 = t;
    t = Math.min(a0, a1);
    a1 = Math.max(a0, a1);
    a0 = t;
    t = Math.min(a2, a5);
    a5 = Math.max(a2, a5);
    a2 = t;
    t = Math.min(a3, a4);
    a4 = Math.max(a3, a4);
    a3 = t;
    t = Math.min(a1, a2);
    a2 = Math.max(a1, a2);
    a1 = t;
    t = Math.min(a4, a6);
    a6 = Math.max(a4, a6);
    a4 = t;
    t = Math.min(a2, a3);
    a3 = Math.max(a2, a3);
    a2 = t;
    t = Math.min(a4, a5);
    a5 = Math.max(a4, a5);
    a4 = t;
    t = Math.min(a1, a2);
    a2 = Math.max(a1, a2);
    a1 = t;
    t = Math.min(a3, a4);
    a4 = Math.max(a3, a4);
    a3 = t;
    t = Math.min(a5, a6);
    a6 = Math.max(a5, a6);
    a5 = t;
    out[i] = a3;
  }
  return out;
}

export interface WarpPath {
  /** Row (token) index of every step of the path, from (0, 0) to (rows − 1, cols − 1). */
  rows: number[];
  /** Column (frame) index of every step. */
  cols: number[];
}

const DIAGONAL = 0;
const UP = 1;
const LEFT = 2;

/**
 * The cheapest monotonic path through a `rows × cols` cost matrix (row-major), moving right, down or
 * diagonally. Ties go to the left move, as in openai/whisper's `dtw_cpu` and Transformers.js.
 */
export function dynamicTimeWarping(matrix: ArrayLike<number>, rows: number, cols: number): WarpPath {
  const width = cols + 1;
  const cost = new Float64Array((rows + 1) * width).fill(Number.POSITIVE_INFINITY);
  const trace = new Int8Array((rows + 1) * width);
  cost[0] = 0;
  for (let i = 1; i <= rows; i++) {
    for (let j = 1; j <= cols; j++) {
      const c0 = cost[(i - 1) * width + j - 1]!;
      const c1 = cost[(i - 1) * width + j]!;
      const c2 = cost[i * width + j - 1]!;
      let best = c2;
      let move = LEFT;
      if (c0 < c1 && c0 < c2) {
        best = c0;
        move = DIAGONAL;
      } else if (c1 < c0 && c1 < c2) {
        best = c1;
        move = UP;
      }
      cost[i * width + j] = matrix[(i - 1) * cols + j - 1]! + best;
      trace[i * width + j] = move;
    }
  }
  for (let j = 0; j <= cols; j++) trace[j] = LEFT;
  for (let i = 0; i <= rows; i++) trace[i * width] = UP;

  const path: WarpPath = { rows: [], cols: [] };
  let i = rows;
  let j = cols;
  while (i > 0 || j > 0) {
    path.rows.push(i - 1);
    path.cols.push(j - 1);
    const move = trace[i * width + j];
    if (move === DIAGONAL) {
      i--;
      j--;
    } else if (move === UP) i--;
    else j--;
  }
  path.rows.reverse();
  path.cols.reverse();
  return path;
}

/**
 * Standardises each head's weights per frame across all rows (tokens), then median-filters every row
 * along time, in place. Float32 arithmetic throughout, as Transformers.js does it on its tensors.
 */
export function normaliseHead(rows: Float32Array[], medianWidth: number): void {
  const frames = rows[0]?.length ?? 0;
  const count = rows.length;
  const mean = new Float32Array(frames);
  const std = new Float32Array(frames);
  for (const row of rows) for (let f = 0; f < frames; f++) mean[f] = f32(mean[f]! + row[f]!);
  if (count !== 1) for (let f = 0; f < frames; f++) mean[f] = f32(mean[f]! / count);
  for (const row of rows) for (let f = 0; f < frames; f++) std[f] = f32(std[f]! + (row[f]! - mean[f]!) ** 2);
  for (let f = 0; f < frames; f++) std[f] = f32(Math.sqrt(std[f]! / count));
  for (const row of rows) {
    for (let f = 0; f < frames; f++) row[f] = (row[f]! - mean[f]!) / std[f]!;
    row.set(medianFilter(row, medianWidth));
  }
}

export interface AlignmentInput {
  /**
   * Per alignment head, the attention of every decoder input position (the prompt, then each generated
   * token that was fed back) over the frames of the audio: `heads[h][position]` has one value per frame.
   */
  heads: Float32Array[][];
  /** Prompt positions: they join the normalisation but are not aligned. */
  promptLength: number;
  medianWidth: number;
}

/**
 * Start time (seconds) of every generated token: the first frame the warping path gives its position.
 * The last generated token (usually <|endoftext|>, never fed back) repeats the time before it.
 * Consumes (normalises) the input's arrays.
 */
export function tokenStartTimes({ heads, promptLength, medianWidth }: AlignmentInput): number[] {
  const positions = heads[0]?.length ?? 0;
  const rows = positions - promptLength;
  if (rows <= 0 || heads.length === 0) return [];
  const frames = heads[0]![0]!.length;
  for (const head of heads) normaliseHead(head, medianWidth);

  // Mean over heads, negated: DTW looks for the path of most attention.
  const matrix = new Float32Array(rows * frames);
  for (let r = 0; r < rows; r++) {
    const offset = r * frames;
    for (const head of heads) {
      const row = head[promptLength + r]!;
      for (let f = 0; f < frames; f++) matrix[offset + f] = f32(matrix[offset + f]! + row[f]!);
    }
    if (heads.length !== 1)
      for (let f = 0; f < frames; f++) matrix[offset + f] = f32(matrix[offset + f]! / heads.length);
    for (let f = 0; f < frames; f++) matrix[offset + f] = -matrix[offset + f]!;
  }

  const path = dynamicTimeWarping(matrix, rows, frames);
  const times: number[] = [];
  for (let k = 0; k < path.rows.length; k++) {
    if (k === 0 || path.rows[k] !== path.rows[k - 1]) times.push(path.cols[k]! * SECONDS_PER_FRAME);
  }
  times.push(times.at(-1)!);
  return times;
}
