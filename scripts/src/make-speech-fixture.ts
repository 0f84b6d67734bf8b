/**
 * Regenerates the committed speech clip the tests use (fixtures/audio/speech-en.flac): espeak-ng
 * speaks a fixed sentence, ffmpeg resamples it to 16 kHz mono FLAC. Committed rather than made in CI
 * because espeak-ng's output differs between versions and tests compare durations.
 * Usage: tsx scripts/src/make-speech-fixture.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SENTENCE = 'The quick brown fox jumps over the lazy dog. Speech recognition runs at the edge.';
const out = fileURLToPath(new URL('../../fixtures/audio/speech-en.flac', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'speech-'));
try {
  const wav = path.join(work, 'speech.wav');
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', wav, SENTENCE]);
  execFileSync('ffmpeg', [
    '-y',
    '-loglevel',
    'error',
    '-i',
    wav,
    '-ac',
    '1',
    '-ar',
    '16000',
    '-sample_fmt',
    's16',
    out,
  ]);
  console.log(`wrote ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
