/**
 * The references the feature tests compare against: Transformers.js's WhisperFeatureExtractor
 * and the repository's real speech clip. Not used by the service itself.
 */
import { execFileSync } from 'node:child_process';
import { WhisperFeatureExtractor } from '@huggingface/transformers';
import { resolveFfmpeg } from '../src/audio/ffmpeg-path.js';
import { SAMPLE_RATE } from '../src/audio/sample-rate.js';
import { N_SAMPLES } from '../src/audio/whisper-audio.js';
import { speechFlac } from './fixtures.js';

let speech: Float32Array | undefined;

/** fixtures/audio/speech-en.flac (~6 s of English) decoded by ffmpeg to 16 kHz mono float. */
export function speechClip(): Float32Array {
  if (!speech) {
    const raw = execFileSync(
      resolveFfmpeg(),
      ['-v', 'error', '-i', speechFlac, '-f', 'f32le', '-ac', '1', '-ar', String(SAMPLE_RATE), '-'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    // Copy into an aligned buffer: a Node Buffer's offset in its pool need not be a multiple of 4.
    speech = new Float32Array(new Uint8Array(raw).buffer);
  }
  return speech;
}

/** The reference, configured like a real Whisper preprocessor_config.json (it derives mel_filters itself). */
export function referenceExtractor(nMels: number): WhisperFeatureExtractor {
  return new WhisperFeatureExtractor({
    feature_extractor_type: 'WhisperFeatureExtractor',
    feature_size: nMels,
    sampling_rate: SAMPLE_RATE,
    hop_length: 160,
    chunk_length: 30,
    n_fft: 400,
    n_samples: N_SAMPLES,
    nb_max_frames: 3000,
    padding_side: 'right',
    padding_value: 0,
    return_attention_mask: false,
  });
}

export async function referenceFeatures(
  extractor: WhisperFeatureExtractor,
  audio: Float32Array,
): Promise<Float32Array> {
  const { input_features } = await extractor(audio);
  return input_features.data as Float32Array;
}
