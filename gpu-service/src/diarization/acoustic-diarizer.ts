import type { SpeakerTurn } from '@whisper-edge/shared';
import { loadSileroVad } from '../vad/silero-model.js';
import { type SpeechSegment, type VadOptions, VadStream } from '../vad/silero-vad.js';
import { type AcousticTuning, clusterSpeech, DEFAULT_ACOUSTIC_TUNING } from './acoustic-clustering.js';
import { acousticVoiceDistances, voiceWindows } from './acoustic-voices.js';
import { ChunkStatistics } from './chunk-statistics.js';
import type { Diarizer, SpeakerCount, VoiceDistances } from './diarizer.js';
import { MfccStream } from './mfcc-stream.js';

export { type AcousticTuning, DEFAULT_ACOUSTIC_TUNING } from './acoustic-clustering.js';

/** Frames quieter than -50 dBFS are pauses between words: their cepstra describe the room, not the voice. */
const VOICED_RMS = 0.003;

/**
 * A lower threshold than Silero's 0.5: far-field meeting speech is often heard at 0.35-0.5 (AMI clips:
 * missed speech 13.9 % -> 11.3 %), and it also helped on the development conversations. Short pauses
 * (200 ms) end a region, since speaker turns are often separated by little more. 150 ms of padding,
 * less than transcription's 200: it recovers word onsets and tails Silero cuts (development
 * conversations: missed speech 1.2 % -> 0.1 % of reference speech) without reaching far into the next
 * speaker's turn.
 */
const DIARIZATION_VAD: Partial<VadOptions> = {
  threshold: 0.35,
  minSilenceDurationMs: 200,
  speechPadMs: 150,
  minSpeechDurationMs: 200,
};

/**
 * The offline backend: Silero speech regions and, per 0.25 s chunk, Gaussian statistics of 12 MFCCs
 * (see acoustic-clustering.ts for how they become speakers). Memory is those statistics, never the
 * audio.
 */
export class AcousticDiarizer implements Diarizer {
  readonly backend = 'acoustic' as const;
  private readonly stats = new ChunkStatistics(VOICED_RMS);
  private readonly mfcc = new MfccStream((cepstra, rms) => this.stats.add(cepstra, rms), VOICED_RMS);
  private readonly regions: SpeechSegment[] = [];

  private constructor(
    private readonly vad: VadStream,
    private readonly count: SpeakerCount,
    private readonly tuning: AcousticTuning,
  ) {}

  static async create(count: SpeakerCount = {}, tuning = DEFAULT_ACOUSTIC_TUNING): Promise<AcousticDiarizer> {
    return new AcousticDiarizer(new VadStream(await loadSileroVad(), DIARIZATION_VAD), count, tuning);
  }

  async push(block: Float32Array): Promise<void> {
    this.mfcc.push(block);
    this.regions.push(...(await this.vad.push(block)));
  }

  async finish(): Promise<SpeakerTurn[]> {
    this.regions.push(...(await this.vad.flush()));
    return clusterSpeech(this.stats, this.regions, this.count, this.tuning);
  }

  async voiceDistances(
    turns: readonly SpeakerTurn[],
    voices: readonly Float32Array[],
  ): Promise<VoiceDistances> {
    const references = voices.map((samples) => voiceWindows(samples, VOICED_RMS, this.tuning));
    return acousticVoiceDistances(this.stats, turns, references, this.tuning);
  }

  /** Stored bytes: grows with duration at ~370 bytes per 0.25 s, independent of the sample data. */
  get retainedBytes(): number {
    return this.stats.retainedBytes;
  }
}
