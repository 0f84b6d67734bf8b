import { openAsBlob } from 'node:fs';
import { decodeAudio } from '../src/audio/decode-audio.js';
import { resolveFfmpeg } from '../src/audio/ffmpeg-path.js';
import { type LoadedModel, ModelManager } from '../src/models/model-manager.js';
import { speechFlac, testModelDir } from './fixtures.js';

/** A generated model (the multilingual test model by default), loaded on CPU as the service would. */
export function loadTestModel(dir: string = testModelDir): Promise<LoadedModel> {
  return new ModelManager({ model: dir, modelDir: dir, device: 'cpu', hubTimeoutMs: 1000 }).get();
}

/** The committed speech clip as 16 kHz mono samples, decoded by the service's own ffmpeg path. */
export async function speechSamples(): Promise<Float32Array> {
  return decodeAudio((await openAsBlob(speechFlac)).stream(), { ffmpegPath: resolveFfmpeg() });
}
