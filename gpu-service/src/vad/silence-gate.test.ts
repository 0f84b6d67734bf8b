import { existsSync, openAsBlob } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/fixtures.js';
import { buildSpeechSignal } from '../../test/speech-fixture.js';
import { decodeAudio } from '../audio/decode-audio.js';
import { resolveFfmpeg } from '../audio/ffmpeg-path.js';
import { loadSileroVad, type SileroVadModel } from './silero-model.js';
import { SILENCE_PEAK, type SpeechSegment, VadStream } from './silero-vad.js';

const SR = 16_000;
const realSpeech = path.join(repoRoot, '../shared/real-speech/single');

async function run(model: SileroVadModel, pcm: Float32Array, gate: boolean) {
  const stream = new VadStream(model, {}, gate);
  const segments: SpeechSegment[] = [];
  const before = model.stats.frames;
  for (let at = 0; at < pcm.length; at += SR)
    segments.push(...(await stream.push(pcm.subarray(at, at + SR))));
  segments.push(...(await stream.flush()));
  return { segments, modelFrames: model.stats.frames - before, gated: stream.gatedFrames };
}

/**
 * The gate leaves Silero's recurrent state where the settling frames put it, while the ungated model
 * keeps drifting slowly through a long silence (its state never reaches a fixed point on zeros): the
 * first onset after a gated silence may move by a frame. Anything more would be a real difference.
 */
function expectSameSpeech(gated: SpeechSegment[], reference: SpeechSegment[]) {
  expect(gated.length).toBe(reference.length);
  gated.forEach((segment, i) => {
    expect(Math.abs(segment.start - reference[i]!.start), `start of segment ${i}`).toBeLessThanOrEqual(
      2 * 512,
    );
    expect(Math.abs(segment.end - reference[i]!.end), `end of segment ${i}`).toBeLessThanOrEqual(2 * 512);
  });
}

/** `parts` joined, each a clip or a number of seconds of digital silence. */
function join(parts: Array<Float32Array | number>): Float32Array {
  const pieces = parts.map((p) => (typeof p === 'number' ? new Float32Array(p * SR) : p));
  const out = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('silence gate', () => {
  let model: SileroVadModel;
  beforeAll(async () => {
    model = await loadSileroVad();
  });

  it('skips the model on digital silence and finds the same speech as without the gate', async () => {
    const speech = buildSpeechSignal(20, [
      ['The quick brown fox jumps over the lazy dog.', 1.0],
      ['Voice activity detection finds the speech.', 12.0],
    ]).pcm;
    // Ten minutes of silence before, between and after: what a long, mostly silent recording holds.
    const pcm = join([240, speech, 180, speech, 180]);
    const gated = await run(model, pcm, true);
    const reference = await run(model, pcm, false);
    expectSameSpeech(gated.segments, reference.segments);
    expect(gated.segments.length).toBeGreaterThanOrEqual(4);
    const frames = Math.ceil(pcm.length / 512);
    expect(reference.modelFrames).toBe(frames);
    // All but the speech (40 s) and a few settling frames per silence skip the model.
    expect(gated.modelFrames + gated.gated).toBe(frames);
    expect(gated.modelFrames).toBeLessThan((60 * SR) / 512);
  });

  it('never gates quiet audio above the floor: faint noise still goes through the model', async () => {
    let seed = 7;
    const noise = Float32Array.from({ length: 30 * SR }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31 - 0.5) * 4 * SILENCE_PEAK;
    });
    const { gated } = await run(model, noise, true);
    expect(gated).toBeLessThan(5);
  });

  it.skipIf(!existsSync(realSpeech))(
    'gives the same segments on real recordings separated by long digital silences',
    async () => {
      const ffmpegPath = resolveFfmpeg();
      const clips = await Promise.all(
        [
          'libri-103__resemblyzer__0.flac',
          'libri-1069__resemblyzer__0.flac',
          'libri-1098__resemblyzer__0.flac',
        ].map(async (name) =>
          decodeAudio((await openAsBlob(path.join(realSpeech, name))).stream(), { ffmpegPath }),
        ),
      );
      const pcm = join([60, clips[0]!, 90, clips[1]!, 1.5, clips[2]!, 120]);
      const gated = await run(model, pcm, true);
      const reference = await run(model, pcm, false);
      expectSameSpeech(gated.segments, reference.segments);
      expect(gated.gated).toBeGreaterThan((200 * SR) / 512);
    },
  );
});
