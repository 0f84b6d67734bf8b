/**
 * Mixed-radix complex FFT (radices 4, 2, 5) in float64, self-sorting (Stockham), so no
 * bit-reversal pass. Built for the 200-point transform behind Whisper's 400-point real
 * FFT (200 = 4·2·5·5); Transformers.js, whose FFT only does powers of two, computes each
 * 400-point frame with Bluestein's algorithm on 1024-point transforms instead.
 *
 * Stage with radix p over sub-transforms of length n = p·m, interleaved at stride s:
 *   y[r + s(p·q + k)] = w_n^(q·k) · Σ_j x[r + s(q + m·j)] · w_p^(j·k)
 * then the next stage treats each k as a new interleaved sequence (stride s·p, length m).
 */

interface Stage {
  radix: 2 | 4 | 5;
  /** Sub-transform length after this stage (n / radix). */
  m: number;
  /** Interleave stride of the sequences this stage reads. */
  s: number;
  /** Twiddles w_n^(q·k), k = 1..radix-1, at [q·(radix-1) + k-1]. */
  twRe: Float64Array;
  twIm: Float64Array;
}

function factorize(size: number): (2 | 4 | 5)[] {
  const radices: (2 | 4 | 5)[] = [];
  let rest = size;
  // Radix 4 first: it saves multiplications over two radix-2 stages.
  for (const radix of [4, 2, 5] as const) {
    while (rest % radix === 0) {
      radices.push(radix);
      rest /= radix;
    }
  }
  if (rest !== 1) throw new Error(`FFT size ${size} must factor into 2s and 5s`);
  return radices;
}

const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

export class ComplexFft {
  private readonly stages: Stage[] = [];
  private readonly scratchRe: Float64Array;
  private readonly scratchIm: Float64Array;

  constructor(readonly size: number) {
    let n = size;
    let s = 1;
    for (const radix of factorize(size)) {
      const m = n / radix;
      const twRe = new Float64Array(m * (radix - 1));
      const twIm = new Float64Array(m * (radix - 1));
      for (let q = 0; q < m; q++) {
        for (let k = 1; k < radix; k++) {
          const angle = (-2 * Math.PI * ((q * k) % n)) / n;
          twRe[q * (radix - 1) + k - 1] = Math.cos(angle);
          twIm[q * (radix - 1) + k - 1] = Math.sin(angle);
        }
      }
      this.stages.push({ radix, m, s, twRe, twIm });
      n = m;
      s *= radix;
    }
    this.scratchRe = new Float64Array(size);
    this.scratchIm = new Float64Array(size);
  }

  /** Forward transform (e^(−2πi·kn/N)) in place on split real/imaginary arrays of length `size`. */
  transform(re: Float64Array, im: Float64Array): void {
    let xr = re;
    let xi = im;
    let yr = this.scratchRe;
    let yi = this.scratchIm;
    for (const stage of this.stages) {
      if (stage.radix === 4) radix4(stage, xr, xi, yr, yi);
      else if (stage.radix === 2) radix2(stage, xr, xi, yr, yi);
      else radix5(stage, xr, xi, yr, yi);
      [xr, xi, yr, yi] = [yr, yi, xr, xi];
    }
    // Stages ping-pong between the caller's arrays and scratch; copy back after an odd count.
    if (xr !== re) {
      re.set(xr);
      im.set(xi);
    }
  }
}

function radix2(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { m, s, twRe, twIm } = st;
  for (let q = 0; q < m; q++) {
    const wr = twRe[q]!;
    const wi = twIm[q]!;
    for (let r = 0; r < s; r++) {
      const i0 = r + s * q;
      const i1 = i0 + s * m;
      const ar = xr[i0]!;
      const ai = xi[i0]!;
      const br = xr[i1]!;
      const bi = xi[i1]!;
      const o = r + s * 2 * q;
      yr[o] = ar + br;
      yi[o] = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      yr[o + s] = dr * wr - di * wi;
      yi[o + s] = dr * wi + di * wr;
    }
  }
}

function radix4(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { m, s, twRe, twIm } = st;
  const sm = s * m;
  for (let q = 0; q < m; q++) {
    const t = 3 * q;
    const w1r = twRe[t]!;
    const w1i = twIm[t]!;
    const w2r = twRe[t + 1]!;
    const w2i = twIm[t + 1]!;
    const w3r = twRe[t + 2]!;
    const w3i = twIm[t + 2]!;
    for (let r = 0; r < s; r++) {
      const i0 = r + s * q;
      const x0r = xr[i0]!;
      const x0i = xi[i0]!;
      const x1r = xr[i0 + sm]!;
      const x1i = xi[i0 + sm]!;
      const x2r = xr[i0 + 2 * sm]!;
      const x2i = xi[i0 + 2 * sm]!;
      const x3r = xr[i0 + 3 * sm]!;
      const x3i = xi[i0 + 3 * sm]!;
      const ar = x0r + x2r;
      const ai = x0i + x2i;
      const br = x0r - x2r;
      const bi = x0i - x2i;
      const cr = x1r + x3r;
      const ci = x1i + x3i;
      // (x1 − x3)·(−i)
      const dr = x1i - x3i;
      const di = x3r - x1r;
      const o = r + s * 4 * q;
      yr[o] = ar + cr;
      yi[o] = ai + ci;
      const y1r = br + dr;
      const y1i = bi + di;
      yr[o + s] = y1r * w1r - y1i * w1i;
      yi[o + s] = y1r * w1i + y1i * w1r;
      const y2r = ar - cr;
      const y2i = ai - ci;
      yr[o + 2 * s] = y2r * w2r - y2i * w2i;
      yi[o + 2 * s] = y2r * w2i + y2i * w2r;
      const y3r = br - dr;
      const y3i = bi - di;
      yr[o + 3 * s] = y3r * w3r - y3i * w3i;
      yi[o + 3 * s] = y3r * w3i + y3i * w3r;
    }
  }
}

function radix5(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { m, s, twRe, twIm } = st;
  const sm = s * m;
  for (let q = 0; q < m; q++) {
    const t = 4 * q;
    for (let r = 0; r < s; r++) {
      const i0 = r + s * q;
      const x0r = xr[i0]!;
      const x0i = xi[i0]!;
      // Pair inputs symmetric about the middle: w_5^k and w_5^(5−k) are conjugates.
      const a1r = xr[i0 + sm]! + xr[i0 + 4 * sm]!;
      const a1i = xi[i0 + sm]! + xi[i0 + 4 * sm]!;
      const b1r = xr[i0 + sm]! - xr[i0 + 4 * sm]!;
      const b1i = xi[i0 + sm]! - xi[i0 + 4 * sm]!;
      const a2r = xr[i0 + 2 * sm]! + xr[i0 + 3 * sm]!;
      const a2i = xi[i0 + 2 * sm]! + xi[i0 + 3 * sm]!;
      const b2r = xr[i0 + 2 * sm]! - xr[i0 + 3 * sm]!;
      const b2i = xi[i0 + 2 * sm]! - xi[i0 + 3 * sm]!;
      // Real-cosine halves and (−i)·sine halves of outputs 1/4 and 2/3.
      const p1r = x0r + C1 * a1r + C2 * a2r;
      const p1i = x0i + C1 * a1i + C2 * a2i;
      const p2r = x0r + C2 * a1r + C1 * a2r;
      const p2i = x0i + C2 * a1i + C1 * a2i;
      const q1r = S1 * b1i + S2 * b2i;
      const q1i = -(S1 * b1r + S2 * b2r);
      const q2r = S2 * b1i - S1 * b2i;
      const q2i = -(S2 * b1r - S1 * b2r);
      const o = r + s * 5 * q;
      yr[o] = x0r + a1r + a2r;
      yi[o] = x0i + a1i + a2i;
      twiddle(yr, yi, o + s, p1r + q1r, p1i + q1i, twRe[t]!, twIm[t]!);
      twiddle(yr, yi, o + 2 * s, p2r + q2r, p2i + q2i, twRe[t + 1]!, twIm[t + 1]!);
      twiddle(yr, yi, o + 3 * s, p2r - q2r, p2i - q2i, twRe[t + 2]!, twIm[t + 2]!);
      twiddle(yr, yi, o + 4 * s, p1r - q1r, p1i - q1i, twRe[t + 3]!, twIm[t + 3]!);
    }
  }
}

function twiddle(
  yr: Float64Array,
  yi: Float64Array,
  at: number,
  vr: number,
  vi: number,
  wr: number,
  wi: number,
): void {
  yr[at] = vr * wr - vi * wi;
  yi[at] = vr * wi + vi * wr;
}
