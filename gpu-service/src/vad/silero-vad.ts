import { InOrder, SileroFrames } from './silero-frames.js';
import { loadSileroVad, type SileroVadModel } from './silero-model.js';
import { SpeechSegmenter } from './speech-segmenter.js';
import { resolveVadOptions, type SpeechSegment, type VadOptions } from './vad-options.js';

export { DEFAULT_VAD_OPTIONS, type SpeechSegment, type VadOptions } from './vad-options.js';

/** What a stream holds between pushes; all of it is bounded whatever the audio length. */
export interface VadRetained {
  /** Samples of the current partial frame (< 512). */
  samples: number;
  /** Pause candidates for splitting the open segment (≤ maxSpeech / 32 ms). */
  pauses: number;
  /** Closed segments waiting for their padded end (0 or 1). */
  segments: number;
}

export { SETTLE_FRAMES, SILENCE_PEAK } from './silero-frames.js';

/**
 * Voice activity detection over a stream of 16 kHz mono float PCM in blocks of any size. Segments
 * come back from the push that closes them (plus padding settlement), so a caller can start Whisper
 * on them while audio is still arriving; the stream itself keeps only one frame and its recurrent
 * state. Results are identical however the audio is split into blocks.
 */
export class VadStream {
  private readonly frames: SileroFrames;
  private readonly segmenter: SpeechSegmenter;
  private readonly order = new InOrder();
  private ended = false;

  constructor(
    model: SileroVadModel,
    options: Partial<VadOptions> = {},
    /** `false` runs the model on every frame: the reference the gate is checked against. */
    gateSilence = true,
  ) {
    this.frames = new SileroFrames(model, gateSilence);
    this.segmenter = new SpeechSegmenter(resolveVadOptions(options));
  }

  get retained(): VadRetained {
    return {
      samples: this.frames.pending,
      pauses: this.segmenter.retainedPauses,
      segments: this.segmenter.heldSegments,
    };
  }

  /** Frames judged silent without running the model (cheap silence: seconds for hours of it). */
  get gatedFrames(): number {
    return this.frames.gatedFrames;
  }

  /** Samples received so far; segment positions count from the first one. */
  get position(): number {
    return this.frames.received;
  }

  /**
   * Feeds the next block. Calls may overlap; they are processed in order. The block is read until the
   * returned promise settles, so don't overwrite it before then.
   */
  push(samples: Float32Array): Promise<SpeechSegment[]> {
    if (this.ended) return Promise.reject(new Error('VadStream: push after flush'));
    return this.order.run(() => this.consume(samples));
  }

  /** Ends the stream: runs the zero-padded last partial frame and returns the remaining segments. */
  flush(): Promise<SpeechSegment[]> {
    if (this.ended) return Promise.reject(new Error('VadStream: flushed twice'));
    this.ended = true;
    return this.order.run(async () => {
      const out: SpeechSegment[] = [];
      const last = await this.frames.flush();
      if (last !== undefined) out.push(...this.segmenter.push(last));
      out.push(...this.segmenter.finish(this.frames.received));
      return out;
    });
  }

  private async consume(samples: Float32Array): Promise<SpeechSegment[]> {
    const out: SpeechSegment[] = [];
    await this.frames.push(samples, (probability) => out.push(...this.segmenter.push(probability)));
    return out;
  }
}

/** Speech segments of a whole 16 kHz mono recording, in samples; the same as streaming it. */
export async function detectSpeech(
  pcm: Float32Array,
  options: Partial<VadOptions> = {},
  model?: SileroVadModel,
): Promise<SpeechSegment[]> {
  const stream = new VadStream(model ?? (await loadSileroVad()), options);
  const segments = await stream.push(pcm);
  segments.push(...(await stream.flush()));
  return segments;
}
