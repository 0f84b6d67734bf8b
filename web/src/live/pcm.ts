export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Loudness of a block in dBFS (RMS), floored at -90: what the level meter shows. */
export function levelDb(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  return Math.max(-90, 20 * Math.log10(rms || 1e-9));
}

/** The session's audio as a WAV file, for the player beside the saved transcript. */
export function wavBlob(chunks: readonly Uint8Array[], rate: number): Blob {
  const dataBytes = chunks.reduce((n, c) => n + c.byteLength, 0);
  const header = new ArrayBuffer(44);
  const view = new DataView(header);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return new Blob([header, ...(chunks as Uint8Array<ArrayBuffer>[])], { type: 'audio/wav' });
}
