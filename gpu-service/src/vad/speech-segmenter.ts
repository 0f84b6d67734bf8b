import { FRAME_SAMPLES, type SegmenterLimits, type SpeechSegment } from './vad-options.js';

/** A run of non-speech frames inside a segment: where a too-long segment may be split. */
interface Pause {
  start: number;
  end: number;
  probSum: number;
  frames: number;
}

/**
 * Turns per-frame speech probabilities into padded speech segments, one frame at a time, so it can run
 * over hours of audio with constant memory. The rules follow Silero's get_speech_timestamps (as used by
 * faster-whisper): hysteresis between threshold and negThreshold, a minimum pause to end speech, a
 * minimum length to keep it, padding that is halved between close neighbours, and a maximum length.
 *
 * Segments are emitted as soon as they can no longer change. That needs care only for padding: a
 * segment's padded end depends on where the next kept segment starts, so the last closed segment is
 * held until either the next one is known or nothing could start within two pads of its end.
 */
export class SpeechSegmenter {
  /** Start of the next frame, in samples. */
  private position = 0;
  private triggered = false;
  private speechStart = 0;
  /** Start of the current run of quiet frames inside speech, or null while speech continues. */
  private silenceStart: number | null = null;
  private silenceProbSum = 0;
  private silenceFrames = 0;
  /** Finished pauses of the open segment; bounded by maxRawSamples / FRAME_SAMPLES. */
  private pauses: Pause[] = [];
  /** Closed and kept but not yet emitted, because its padded end is not known yet. */
  private held: SpeechSegment | null = null;
  /** Where the previous emitted segment ended, so a padded start never reaches back past it. */
  private emittedEnd = 0;
  private done = false;

  constructor(private readonly limits: SegmenterLimits) {}

  /** Pause candidates kept for splitting; exposed so tests can check memory stays bounded. */
  get retainedPauses(): number {
    return this.pauses.length;
  }

  get heldSegments(): number {
    return this.held ? 1 : 0;
  }

  /** Consumes the probability of the next 512-sample frame; returns segments that are now final. */
  push(prob: number): SpeechSegment[] {
    if (this.done) throw new Error('SpeechSegmenter: push after finish');
    const out: SpeechSegment[] = [];
    const frameStart = this.position;
    this.position += FRAME_SAMPLES;
    this.step(prob, frameStart, out);
    this.releaseHeld(out);
    return out;
  }

  /** Ends the stream at `totalSamples` (the real length, not rounded up to frames). */
  finish(totalSamples: number): SpeechSegment[] {
    if (this.done) return [];
    this.done = true;
    const out: SpeechSegment[] = [];
    // A pause shorter than minSilence at the very end is still a pause: the speech ended where it began.
    if (this.triggered) this.close(Math.min(this.silenceStart ?? totalSamples, totalSamples), out);
    if (this.held) {
      out.push({
        start: this.held.start,
        end: Math.min(this.held.end + this.limits.padSamples, totalSamples),
      });
      this.held = null;
    }
    return out;
  }

  private step(prob: number, frameStart: number, out: SpeechSegment[]): void {
    const { threshold, negThreshold, minSilenceSamples, maxRawSamples } = this.limits;
    if (prob >= threshold) {
      if (this.silenceStart !== null) {
        this.pauses.push({
          start: this.silenceStart,
          end: frameStart,
          probSum: this.silenceProbSum,
          frames: this.silenceFrames,
        });
        this.silenceStart = null;
      }
      if (!this.triggered) {
        this.triggered = true;
        this.speechStart = frameStart;
        this.pauses = [];
        return;
      }
    }
    if (!this.triggered) return;

    // Checked every frame, so whatever ends the segment later (a pause start, or the end of the audio)
    // lies within maxRawSamples of its start.
    if (frameStart + FRAME_SAMPLES - this.speechStart > maxRawSamples) {
      this.splitLongSpeech(frameStart, out);
      if (!this.triggered) return;
    }

    if (prob < threshold && (this.silenceStart !== null || prob < negThreshold)) {
      if (this.silenceStart === null) {
        this.silenceStart = frameStart;
        this.silenceProbSum = 0;
        this.silenceFrames = 0;
      }
      this.silenceProbSum += prob;
      this.silenceFrames++;
      // Like Silero, only a clearly quiet frame may end speech; a wobble between the thresholds waits.
      if (prob < negThreshold && frameStart - this.silenceStart >= minSilenceSamples) {
        this.close(this.silenceStart, out);
      }
    }
  }

  /**
   * Ends an over-long segment at its best pause. The longest pause wins because sentence boundaries
   * are long pauses while probabilities inside any real pause sit near zero and barely discriminate;
   * the lowest mean probability breaks ties, then the latest pause (longer pieces, fewer cuts). With no
   * pause at all the speech is cut hard at the current frame and continues as a new segment.
   */
  private splitLongSpeech(frameStart: number, out: SpeechSegment[]): void {
    let best: Pause | null = null;
    const ongoing: Pause | null =
      this.silenceStart === null
        ? null
        : {
            start: this.silenceStart,
            end: frameStart,
            probSum: this.silenceProbSum,
            frames: this.silenceFrames,
          };
    for (const pause of ongoing ? [...this.pauses, ongoing] : this.pauses) {
      if (pause.frames === 0 || pause.start <= this.speechStart) continue;
      if (!best || isBetterPause(pause, best)) best = pause;
    }
    if (best === null) {
      this.keep({ start: this.speechStart, end: frameStart }, out);
      this.speechStart = frameStart;
      this.pauses = [];
      this.silenceStart = null;
    } else if (best === ongoing) {
      this.close(best.start, out);
    } else {
      const cut = best;
      this.keep({ start: this.speechStart, end: cut.start }, out);
      this.speechStart = cut.end;
      // Later pauses lie inside the remaining speech and stay candidates for its own split.
      this.pauses = this.pauses.filter((p) => p.start >= cut.end);
    }
  }

  private close(end: number, out: SpeechSegment[]): void {
    this.keep({ start: this.speechStart, end }, out);
    this.triggered = false;
    this.silenceStart = null;
    this.pauses = [];
  }

  /** Applies the minimum length, then settles the held segment's padding against this one. */
  private keep(raw: SpeechSegment, out: SpeechSegment[]): void {
    if (raw.end - raw.start < this.limits.minSpeechSamples) return;
    const pad = this.limits.padSamples;
    let start = Math.max(raw.start - pad, this.emittedEnd);
    if (this.held) {
      const gap = raw.start - this.held.end;
      // Close neighbours share the gap at its midpoint instead of overlapping.
      const end = gap < 2 * pad ? this.held.end + Math.floor(gap / 2) : this.held.end + pad;
      out.push({ start: this.held.start, end });
      this.emittedEnd = end;
      start = Math.max(raw.start - pad, end);
    }
    this.held = { start, end: raw.end };
  }

  private releaseHeld(out: SpeechSegment[]): void {
    if (!this.held) return;
    // The earliest any future kept segment could start: the open one's start, else the next frame.
    const earliestNext = this.triggered ? this.speechStart : this.position;
    if (earliestNext - this.held.end < 2 * this.limits.padSamples) return;
    const end = this.held.end + this.limits.padSamples;
    out.push({ start: this.held.start, end });
    this.emittedEnd = end;
    this.held = null;
  }
}

function isBetterPause(a: Pause, b: Pause): boolean {
  const lengthA = a.end - a.start;
  const lengthB = b.end - b.start;
  if (lengthA !== lengthB) return lengthA > lengthB;
  const meanA = a.probSum / a.frames;
  const meanB = b.probSum / b.frames;
  if (meanA !== meanB) return meanA < meanB;
  return a.start > b.start;
}
