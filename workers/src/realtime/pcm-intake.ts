import { Resampler24to16 } from './resample.js';

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Client PCM16 at the session's rate → 16 kHz PCM16 bytes. Appends may split a sample across two
 * events: the odd byte waits for the next one.
 */
export class PcmIntake {
  private resampler: Resampler24to16 | null = null;
  private oddByte: number | null = null;

  /** The rate changed (session.update): the resampler's history no longer applies. */
  resetRate(): void {
    this.resampler = null;
  }

  push(bytes: Uint8Array, rate: number): Uint8Array {
    let data = bytes;
    if (this.oddByte !== null) {
      data = new Uint8Array(bytes.byteLength + 1);
      data[0] = this.oddByte;
      data.set(bytes, 1);
      this.oddByte = null;
    }
    if (data.byteLength % 2 === 1) {
      this.oddByte = data[data.byteLength - 1]!;
      data = data.subarray(0, data.byteLength - 1);
    }
    const samples = new Int16Array(data.byteLength / 2);
    new Uint8Array(samples.buffer).set(data);
    let pcm: Int16Array = samples;
    if (rate === 24_000) {
      this.resampler ??= new Resampler24to16();
      pcm = this.resampler.push(samples);
    }
    return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  }
}
