import { describe, expect, it } from 'vitest';
import { MfccStream, N_CEPSTRA } from './mfcc-stream.js';

const tone = (hz: number, samples: number) =>
  Float32Array.from({ length: samples }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 16_000));

function collect(blocks: Float32Array[]) {
  const frames: number[][] = [];
  const stream = new MfccStream((cepstra) => frames.push([...cepstra]));
  for (const block of blocks) stream.push(block);
  return frames;
}

describe('MfccStream', () => {
  it('gives the same frames however the audio is split into blocks', () => {
    const audio = tone(220, 8000);
    const whole = collect([audio]);
    const pieces = collect([audio.subarray(0, 123), audio.subarray(123, 4000), audio.subarray(4000)]);
    expect(whole).toHaveLength(1 + Math.floor((8000 - 400) / 160));
    expect(pieces).toEqual(whole);
    expect(whole[0]).toHaveLength(N_CEPSTRA);
  });

  it('skips the spectrum of frames below minRms, and only those: silence costs no FFTs', () => {
    // Ten seconds of digital silence around one second of tone.
    const audio = new Float32Array(176_000);
    audio.set(tone(220, 16_000), 80_000);
    const all: Array<[number[], number]> = [];
    const gatedFrames: Array<[number[], number]> = [];
    const full = new MfccStream((c, rms) => all.push([[...c], rms]));
    const gated = new MfccStream((c, rms) => gatedFrames.push([[...c], rms]), 0.003);
    full.push(audio);
    gated.push(audio);
    expect(gatedFrames).toHaveLength(all.length);
    const loud = all.filter(([, rms]) => rms >= 0.003);
    expect(gated.spectra).toBe(loud.length);
    expect(gated.spectra).toBeLessThan(all.length / 8);
    // Frames at or above the level are the same, bit for bit; quieter ones keep their level.
    expect(gatedFrames.filter(([, rms]) => rms >= 0.003)).toEqual(loud);
    expect(gatedFrames.map(([, rms]) => rms)).toEqual(all.map(([, rms]) => rms));
  });

  it('tells different spectra apart', () => {
    const low = collect([tone(200, 4000)]);
    const high = collect([tone(2000, 4000)]);
    const distance = Math.hypot(...low[5]!.map((c, i) => c - high[5]![i]!));
    const within = Math.hypot(...low[5]!.map((c, i) => c - low[10]![i]!));
    expect(distance).toBeGreaterThan(10 * within);
  });
});
