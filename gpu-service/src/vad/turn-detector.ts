import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { FRAME_SAMPLES } from './vad-options.js';

/** OpenAI's `server_vad` settings, in the units it names them. */
export interface TurnOptions {
  /** A frame at or above this probability is speech (0.5 by default). */
  threshold: number;
  /** Silence this long ends a turn. */
  silenceDurationMs: number;
}

/** Frames of speech (≈ 96 ms) before a turn counts as started: a click or a cough is no turn. */
export const MIN_SPEECH_FRAMES = 3;

export type TurnEvent =
  /** Speech began at `start` (the first speech frame), confirmed at `at`; both in samples. */
  | { type: 'start'; start: number; at: number }
  /** Speech ended at `end` (where the closing silence began), decided at `at`. */
  | { type: 'stop'; end: number; at: number };

/**
 * Live turn detection over per-frame speech probabilities: where a turn starts as soon as it is
 * sure (a few frames), and where it stops once the silence after it has lasted long enough. Silero's
 * hysteresis applies: speech ends only below `threshold - 0.15`, and a frame between the two thresholds
 * neither starts silence nor ends it. Unlike SpeechSegmenter (whole recordings, padding settled
 * against the next segment), each decision is final the moment it is made.
 */
export class TurnDetector {
  private speaking = false;
  /** First frame of a turn not yet confirmed, and how many speech frames it has had. */
  private candidate: number | null = null;
  private candidateFrames = 0;
  private silenceStart: number | null = null;
  private readonly negThreshold: number;
  private readonly silenceSamples: number;

  /** `position`: the session sample the first frame starts at (a detector replaced mid-session). */
  constructor(
    private readonly options: TurnOptions,
    private position = 0,
  ) {
    this.negThreshold = Math.max(options.threshold - 0.15, 0.01);
    this.silenceSamples = Math.round((options.silenceDurationMs * SAMPLE_RATE) / 1000);
  }

  get inTurn(): boolean {
    return this.speaking;
  }

  /** The probability of the next 512-sample frame; returns what it decided. */
  push(probability: number): TurnEvent[] {
    const frameStart = this.position;
    this.position += FRAME_SAMPLES;
    const frameEnd = this.position;
    if (!this.speaking) {
      if (this.candidate === null) {
        if (probability >= this.options.threshold) {
          this.candidate = frameStart;
          this.candidateFrames = 1;
        }
      } else if (probability < this.negThreshold) {
        this.candidate = null;
      } else if (probability >= this.options.threshold) {
        this.candidateFrames++;
      }
      if (this.candidate !== null && this.candidateFrames >= MIN_SPEECH_FRAMES) {
        this.speaking = true;
        this.silenceStart = null;
        const start = this.candidate;
        this.candidate = null;
        return [{ type: 'start', start, at: frameEnd }];
      }
      return [];
    }
    if (probability >= this.options.threshold) {
      this.silenceStart = null;
      return [];
    }
    if (this.silenceStart === null && probability < this.negThreshold) this.silenceStart = frameStart;
    if (this.silenceStart !== null && frameEnd - this.silenceStart >= this.silenceSamples) {
      const end = this.silenceStart;
      this.speaking = false;
      this.silenceStart = null;
      return [{ type: 'stop', end, at: frameEnd }];
    }
    return [];
  }
}
