import type { SpeakerTurn } from '@whisper-edge/shared';
import * as ort from 'onnxruntime-node';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { SILENCE_PEAK } from '../vad/silero-vad.js';
import { agglomerate } from './agglomerative.js';
import { countBounds, type Diarizer, type SpeakerCount, type VoiceDistances } from './diarizer.js';
import { cosineDistance } from './embedding-clusters.js';
import { kaldiFbank } from './kaldi-fbank.js';
import { type LabelledSpan, toSpeakerTurns } from './speaker-turns.js';

/** pyannote segmentation-3.0: 10 s windows in, one frame of logits every 270 samples (receptive field 991). */
export const WINDOW_SAMPLES = 10 * SAMPLE_RATE;
const STEP_SAMPLES = 5 * SAMPLE_RATE;
const FRAME_STEP = 270;
const FRAME_CENTRE = 495;
/** Powerset classes → local speakers: ∅, {1}, {2}, {3}, {1,2}, {1,3}, {2,3}. */
const POWERSET: readonly (readonly number[])[] = [[], [0], [1], [2], [0, 1], [0, 2], [1, 2]];
/** A local speaker needs this many frames (~0.34 s) in a window to be embedded. */
const MIN_FRAMES = 20;
/** WeSpeaker's input: 80 Kaldi fbank bins per 25 ms frame every 10 ms. */
const FBANK_BINS = 80;
const FBANK_SHIFT = 160;
const FBANK_CENTRE = 200;

export interface NeuralSessions {
  segmentation: ort.InferenceSession;
  embedding: ort.InferenceSession;
}

export interface NeuralTuning {
  /** Cosine distance between speaker embeddings beyond which clusters stay apart. */
  threshold: number;
}

interface LocalSpeaker {
  /** Window start, samples. */
  start: number;
  /** Per frame: 1 where this local speaker is active. */
  activity: Uint8Array;
  embedding: Float64Array;
}

/**
 * The pyannote-style pipeline: a powerset segmentation model over 10 s windows every 5 s (up to three
 * local speakers, overlap included), a WeSpeaker-layout embedding per local speaker from its frames'
 * Kaldi fbank, agglomerative clustering of all embeddings of the file (so labels are global), then
 * each global speaker's activity voted across overlapping windows. Speakers may overlap in the output.
 * Only the current window's audio is held; per window it keeps ≤ 3 activity masks and embeddings.
 */
export class NeuralDiarizer implements Diarizer {
  readonly backend = 'neural' as const;
  private buffer = new Float32Array(0);
  /** Source position of buffer[0]. */
  private bufferStart = 0;
  private received = 0;
  private readonly speakers: LocalSpeaker[] = [];
  /** Every window run, speakers or not: a window that heard no one still votes "no one". */
  private readonly windowStarts: number[] = [];
  private frames = 0;
  /** Windows the segmentation model ran on; digital silence skips it (no one speaks in zeros). */
  segmentationRuns = 0;
  /** After clustering: each local speaker's cluster, and each cluster's label. */
  private labels: Int32Array = new Int32Array(0);
  private readonly clusterNames = new Map<number, string>();

  constructor(
    private readonly sessions: NeuralSessions,
    private readonly count: SpeakerCount = {},
    private readonly tuning: NeuralTuning = { threshold: 0.7 },
  ) {}

  async push(block: Float32Array): Promise<void> {
    const joined = new Float32Array(this.buffer.length + block.length);
    joined.set(this.buffer);
    joined.set(block, this.buffer.length);
    this.buffer = joined;
    this.received += block.length;
    while (this.buffer.length >= WINDOW_SAMPLES) {
      await this.window(this.buffer.subarray(0, WINDOW_SAMPLES), this.bufferStart);
      this.buffer = this.buffer.slice(STEP_SAMPLES);
      this.bufferStart += STEP_SAMPLES;
    }
  }

  async finish(): Promise<SpeakerTurn[]> {
    // The tail (or a file shorter than one window), zero-padded; skipped if a full window covered it.
    const covered = this.windowStarts.length > 0;
    if (this.buffer.length > 0 && (!covered || this.buffer.length > WINDOW_SAMPLES - STEP_SAMPLES)) {
      const padded = new Float32Array(WINDOW_SAMPLES);
      padded.set(this.buffer);
      await this.window(padded, this.bufferStart);
    }
    return this.cluster();
  }

  private async window(samples: Float32Array, start: number): Promise<void> {
    let peak = 0;
    for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
    if (peak < SILENCE_PEAK) {
      // Still a window that votes "no one here", as the model would.
      this.windowStarts.push(start);
      return;
    }
    this.segmentationRuns++;
    const input = new ort.Tensor('float32', samples, [1, 1, samples.length]);
    const out = await this.sessions.segmentation.run({ [this.sessions.segmentation.inputNames[0]!]: input });
    const logits = out[this.sessions.segmentation.outputNames[0]!]!;
    this.windowStarts.push(start);
    const [, frames, classes] = logits.dims as [number, number, number];
    this.frames = frames;
    const values = logits.data as Float32Array;
    const activity = [0, 1, 2].map(() => new Uint8Array(frames));
    for (let f = 0; f < frames; f++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (values[f * classes + c]! > values[f * classes + best]!) best = c;
      for (const speaker of POWERSET[best] ?? []) activity[speaker]![f] = 1;
    }
    // As pyannote's pipeline does (get_embeddings, exclude_overlap): a speaker is embedded from the
    // frames where it speaks alone, unless those are too few; then from all its frames.
    const speaking = new Uint8Array(frames);
    for (const mask of activity) for (let f = 0; f < frames; f++) speaking[f] = speaking[f]! + mask[f]!;
    let fbank: { frames: number; data: Float32Array } | undefined;
    for (const mask of activity) {
      if (mask.reduce((n, v) => n + v, 0) < MIN_FRAMES) continue;
      const clean = mask.map((v, f) => (v && speaking[f]! < 2 ? 1 : 0));
      const used = clean.reduce((n, v) => n + v, 0) >= MIN_FRAMES ? clean : mask;
      // Fbank of the whole window, mean-normalised over it (as WeSpeaker's wrapper in pyannote feeds
      // the chunk), then only the speaker's frames: fbank frame t is centred on sample 160 t + 200.
      fbank ??= kaldiFbank(samples, FBANK_BINS);
      const rows: number[] = [];
      for (let t = 0; t < fbank.frames; t++) {
        const f = Math.round((FBANK_SHIFT * t + FBANK_CENTRE - FRAME_CENTRE) / FRAME_STEP);
        if (used[Math.min(frames - 1, Math.max(0, f))]) rows.push(t);
      }
      if (rows.length === 0) continue;
      const data = new Float32Array(rows.length * FBANK_BINS);
      for (const [i, t] of rows.entries()) {
        data.set(fbank.data.subarray(t * FBANK_BINS, (t + 1) * FBANK_BINS), i * FBANK_BINS);
      }
      this.speakers.push({ start, activity: mask, embedding: await this.embed(data, rows.length) });
    }
  }

  private async embed(fbank: Float32Array, frames: number): Promise<Float64Array> {
    const feats = new ort.Tensor('float32', fbank, [1, frames, FBANK_BINS]);
    const embedded = await this.sessions.embedding.run({ [this.sessions.embedding.inputNames[0]!]: feats });
    return Float64Array.from(embedded[this.sessions.embedding.outputNames[0]!]!.data as Float32Array);
  }

  /** A reference clip is one utterance to WeSpeaker: fbank of the whole clip, one embedding. */
  async voiceDistances(
    turns: readonly SpeakerTurn[],
    voices: readonly Float32Array[],
  ): Promise<VoiceDistances> {
    const references = await Promise.all(
      voices.map(async (samples) => {
        const fbank = kaldiFbank(samples, FBANK_BINS);
        return fbank.frames > 0 ? this.embed(fbank.data, fbank.frames) : undefined;
      }),
    );
    const speakers = [...new Set(turns.map((t) => t.speaker))];
    const distances = speakers.map((speaker) => {
      const members = this.speakers.filter((_, i) => this.clusterNames.get(this.labels[i]!) === speaker);
      return references.map((reference) => {
        if (!reference || members.length === 0) return Number.POSITIVE_INFINITY;
        const sum = members.reduce((n, m) => n + cosineDistance(m.embedding, reference), 0);
        return sum / members.length;
      });
    });
    return { speakers, distances, threshold: this.tuning.threshold };
  }

  private cluster(): SpeakerTurn[] {
    if (this.speakers.length === 0) return [];
    const { min, max } = countBounds(this.count);
    const labels = agglomerate(
      this.speakers.length,
      (a, b) => cosineDistance(this.speakers[a]!.embedding, this.speakers[b]!.embedding),
      {
        threshold: this.tuning.threshold,
        minClusters: Math.min(min, this.speakers.length),
        maxClusters: max,
      },
    );
    this.labels = labels;
    // Votes on a global grid of segmentation frames: active where most covering windows say so.
    const gridFrames = Math.ceil(this.received / FRAME_STEP) + 1;
    const clusters = Math.max(...labels) + 1;
    const votes = Array.from({ length: clusters }, () => new Uint16Array(gridFrames));
    const coverage = new Uint16Array(gridFrames);
    for (const start of this.windowStarts) {
      const offset = Math.round(start / FRAME_STEP);
      for (let f = 0; f < this.frames && offset + f < gridFrames; f++) coverage[offset + f]! += 1;
    }
    for (const [i, speaker] of this.speakers.entries()) {
      const offset = Math.round(speaker.start / FRAME_STEP);
      const row = votes[labels[i]!]!;
      for (let f = 0; f < speaker.activity.length && offset + f < gridFrames; f++) {
        if (speaker.activity[f]) row[offset + f] = Math.min(coverage[offset + f]!, row[offset + f]! + 1);
      }
    }
    const spans: LabelledSpan[] = [];
    const end = this.received / SAMPLE_RATE;
    for (const [cluster, row] of votes.entries()) {
      let open = -1;
      for (let f = 0; f <= gridFrames; f++) {
        const on = f < gridFrames && coverage[f]! > 0 && row[f]! * 2 >= coverage[f]! && row[f]! > 0;
        if (on && open < 0) open = f;
        if (!on && open >= 0) {
          const time = (frame: number) =>
            Math.min(end, (frame * FRAME_STEP + FRAME_CENTRE - FRAME_STEP / 2) / SAMPLE_RATE);
          spans.push({ start: time(open), end: time(f), cluster });
          open = -1;
        }
      }
    }
    // Pauses shorter than 0.1 s inside one speaker's speech do not end the turn.
    return toSpeakerTurns(spans, 0.1, this.clusterNames);
  }
}
