import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DiarizationResult } from '@whisper-edge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarizationErrorRate } from '../../../test/der.js';
import { serveFiles, type TestServer } from '../../../test/file-server.js';
import { repoRoot } from '../../../test/fixtures.js';
import {
  encodeConversation,
  type SyntheticConversation,
  synthesizeConversation,
} from '../../../test/synthetic-conversation.js';
import { createTestApp, signedInternalRequest, testSecret } from '../../../test/test-app.js';
import { diarizerFactory } from '../../diarization/create-diarizer.js';
import { neuralFactory } from '../../diarization/neural-models.js';

const app = createTestApp();
let files: TestServer;
let conversation: SyntheticConversation;
let dir: string;

let voiceDirs: string[] = [];

/** Other sentences of one voice, cut to `seconds`: a reference clip as a caller would record it. */
function voiceClip(voice: number, seconds: number): string {
  const spoken = synthesizeConversation({ seed: 40 + voice, speakers: 1, turns: 4, voices: [voice] });
  const clip = { ...spoken, pcm: spoken.pcm.subarray(0, Math.min(spoken.pcm.length, seconds * 16_000)) };
  const wav = encodeConversation(clip, `voice-${voice}.wav`);
  voiceDirs.push(path.dirname(wav));
  return wav;
}

beforeAll(async () => {
  conversation = synthesizeConversation({ seed: 5, speakers: 2, turns: 6, voices: [0, 1] });
  // Served as Opus in Ogg: the route decodes through ffmpeg like any upload.
  const ogg = encodeConversation(conversation, 'call.ogg');
  dir = path.dirname(ogg);
  files = await serveFiles({
    '/call.ogg': ogg,
    '/voice-1.wav': voiceClip(1, 9),
    '/voice-3.wav': voiceClip(3, 9),
    '/short.wav': voiceClip(0, 1),
  });
}, 60_000);
afterAll(() => {
  files?.close();
  for (const d of [dir, ...voiceDirs]) rmSync(d, { recursive: true, force: true });
  voiceDirs = [];
});

const signedDiarize = (payload: unknown, signWith = testSecret) =>
  signedInternalRequest(app, '/internal/diarize', payload, signWith);

describe('POST /internal/diarize', () => {
  it('answers the speaker turns of a streamed, compressed conversation', async () => {
    const response = await signedDiarize({ audio_url: `${files.url}/call.ogg`, options: {} });
    expect(response.status).toBe(200);
    const result = (await response.json()) as DiarizationResult;
    expect(result.backend).toBe('acoustic');
    expect(result.speakers).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    expect(result.duration).toBeCloseTo(conversation.pcm.length / 16_000, 1);
    expect(diarizationErrorRate(conversation.reference, result.turns).der).toBeLessThan(0.1);
  });

  it('refuses unsigned calls, bad bodies, and neural without models', async () => {
    expect(
      (await signedDiarize({ audio_url: `${files.url}/call.ogg` }, 'some-other-secret-value')).status,
    ).toBe(401);
    expect((await signedDiarize({ audio_url: 'not a url' })).status).toBe(400);
    const neural = await signedDiarize({
      audio_url: `${files.url}/call.ogg`,
      options: { backend: 'neural' },
    });
    expect(neural.status).toBe(400);
    expect(await neural.json()).toMatchObject({ error: { param: 'diarization_backend' } });
  });

  it('names the speaker a reference voice matches, and no one after a voice that is absent', async () => {
    const response = await signedDiarize({
      audio_url: `${files.url}/call.ogg`,
      options: {
        known_speakers: [
          { name: 'bob', audio_url: `${files.url}/voice-1.wav` },
          { name: 'nobody', audio_url: `${files.url}/voice-3.wav` },
        ],
      },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as DiarizationResult;
    expect(result.speakers).toEqual(['SPEAKER_00', 'bob']);
    // bob's turns are voice_1's: renamed, the turns still score as before.
    const renamed = result.turns.map((t) => ({
      ...t,
      speaker: t.speaker === 'bob' ? 'voice_1' : 'voice_0',
    }));
    expect(diarizationErrorRate(conversation.reference, renamed).der).toBeLessThan(0.1);
  });

  it('refuses a reference clip outside 2-10 s before reading the audio', async () => {
    const response = await signedDiarize({
      audio_url: `${files.url}/call.ogg`,
      options: { known_speakers: [{ name: 'ann', audio_url: `${files.url}/short.wav` }] },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'invalid_known_speaker_reference',
        message: expect.stringMatching(/'ann'.*1\.\d s long/),
      },
    });
  });

  it('runs the backend the app was given', async () => {
    // The random-weight fixtures with the real models' interfaces: the backend is the point, not the turns.
    const neural = neuralFactory({
      segmentation: path.join(repoRoot, 'fixtures/models/segmentation-test'),
      embedding: path.join(repoRoot, 'fixtures/models/embedding-test'),
      modelDir: tmpdir(),
      device: 'cpu',
    });
    const withNeural = createTestApp({ diarizers: diarizerFactory(neural) });
    const response = await signedInternalRequest(withNeural, '/internal/diarize', {
      audio_url: `${files.url}/call.ogg`,
      // Reference voices go through the embedding model too (random weights: plumbing only).
      options: { known_speakers: [{ name: 'bob', audio_url: `${files.url}/voice-1.wav` }] },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as DiarizationResult;
    expect(result.backend).toBe('neural');
    expect(result.turns.length).toBeGreaterThan(0);
  });
});
