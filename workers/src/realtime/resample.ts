/**
 * Streaming 24 kHz → 16 kHz resampling of PCM16 (OpenAI's input rate to Whisper's): a polyphase
 * windowed-sinc low-pass at 7.2 kHz (below the new Nyquist, 8 kHz), evaluated at every 1.5 input
 * samples. Output sample m sits at input position 1.5 m, so only two filter phases exist (whole and
 * half sample); the filter's history carries across chunks, so chunk boundaries change nothing.
 */
const TAPS = 32;
const HALF = TAPS / 2;
const CUTOFF = 7_200 / 24_000;

function phase(fraction: number): Float32Array {
  const taps = new Float32Array(TAPS);
  let sum = 0;
  for (let k = 0; k < TAPS; k++) {
    // Distance from the output position to input sample k of the window (k = HALF - 1 is just before).
    const x = k - (HALF - 1) - fraction;
    const sinc = x === 0 ? 1 : Math.sin(2 * Math.PI * CUTOFF * x) / (2 * Math.PI * CUTOFF * x);
    // Blackman window over the filter's span.
    const w = (k + 1 - fraction) / TAPS;
    const window = 0.42 - 0.5 * Math.cos(2 * Math.PI * w) + 0.08 * Math.cos(4 * Math.PI * w);
    taps[k] = sinc * window;
    sum += taps[k]!;
  }
  for (let k = 0; k < TAPS; k++) taps[k]! /= sum;
  return taps;
}

const PHASES = [phase(0), phase(0.5)] as const;

export class Resampler24to16 {
  /** Input samples not yet consumed, with HALF of history before the next output's position. */
  private history = new Float32Array(0);
  /** Input position (in samples of `history`) of the next output, times 2 (it moves by 3 halves). */
  private nextHalf: number;

  constructor() {
    // Start as if preceded by silence, so the first output sits on the first input sample.
    this.history = new Float32Array(HALF - 1);
    this.nextHalf = 2 * (HALF - 1);
  }

  /** PCM16 in (24 kHz), PCM16 out (16 kHz): as many samples as the input so far allows. */
  push(input: Int16Array): Int16Array {
    const joined = new Float32Array(this.history.length + input.length);
    joined.set(this.history);
    for (let i = 0; i < input.length; i++) joined[this.history.length + i] = input[i]! / 32768;
    const out: number[] = [];
    for (;;) {
      const whole = this.nextHalf >> 1;
      const taps = PHASES[this.nextHalf & 1]!;
      const first = whole - (HALF - 1);
      if (first + TAPS > joined.length) break;
      let acc = 0;
      for (let k = 0; k < TAPS; k++) acc += taps[k]! * joined[first + k]!;
      out.push(Math.max(-32768, Math.min(32767, Math.round(acc * 32768))));
      this.nextHalf += 3;
    }
    const keepFrom = Math.max(0, (this.nextHalf >> 1) - (HALF - 1));
    this.history = joined.slice(keepFrom);
    this.nextHalf -= 2 * keepFrom;
    return Int16Array.from(out);
  }
}
