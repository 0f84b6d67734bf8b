import { SAMPLE_RATE } from '../audio/decode-audio.js';
import { buildWindowSamples, packWindows, type SpeechWindow, toSourceTime } from '../vad/pack-windows.js';
import { detectSpeech } from '../vad/silero-vad.js';

/** A ≤ 30 s input for Whisper and the way back from its timestamps to the original timeline. */
export interface AudioWindow {
  samples: Float32Array;
  /** Seconds in the window → seconds in the source audio. */
  toSource(seconds: number, edge: 'start' | 'end'): number;
  /** Where the window begins in the source, seconds. */
  offset: number;
}

const WINDOW_SECONDS = 30;

/**
 * Consecutive 30 s windows with no overlap (the stock pipeline overlaps by 5 s, 1.5× the work): used
 * when VAD is off.
 */
export function fixedWindows(audio: Float32Array): AudioWindow[] {
  const size = WINDOW_SECONDS * SAMPLE_RATE;
  const windows: AudioWindow[] = [];
  for (let start = 0; start < audio.length; start += size) {
    const offset = start / SAMPLE_RATE;
    windows.push({
      offset,
      samples: audio.subarray(start, Math.min(audio.length, start + size)),
      toSource: (seconds) => offset + seconds,
    });
  }
  return windows;
}

function fromSpeechWindow(window: SpeechWindow, audio: Float32Array): AudioWindow {
  return {
    offset: window.start / SAMPLE_RATE,
    samples: buildWindowSamples(window, (start, end) => audio.subarray(start, end)),
    toSource: (seconds, edge) => toSourceTime(window, seconds, edge),
  };
}

/**
 * Speech packed into ≤ 30 s windows with the silences between utterances removed (Silero VAD): less
 * audio through the model, no window cut mid-word, and nothing for Whisper to hallucinate on.
 */
export async function speechWindows(audio: Float32Array): Promise<AudioWindow[]> {
  const segments = await detectSpeech(audio);
  return packWindows(segments).map((window) => fromSpeechWindow(window, audio));
}
