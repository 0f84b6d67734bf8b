import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { root } from './stack.js';

/** The committed speech clip, decoded by ffmpeg to 16 kHz mono float samples. */
export function speechClipSamples(): Float32Array {
  const file = path.join(root, 'fixtures/audio/speech-en.flac');
  const pcm = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '1', '-ar', '16000', '-'],
    {
      maxBuffer: 64 << 20,
    },
  );
  return new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4);
}
