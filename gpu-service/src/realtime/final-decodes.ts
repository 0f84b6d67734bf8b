import { ApiError, asApiError, type GpuRealtimeEvent } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import type { LiveDecodeOptions, LiveEngine } from './live-engine.js';
import type { RealtimeSessionDeps } from './session-options.js';

/**
 * The full decode each closed utterance gets, one after another, so each utterance's `completed`
 * (or `failed`) follows the previous one's.
 */
export class FinalDecodes {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Pick<RealtimeSessionDeps, 'model' | 'finalTemperatures' | 'log'>,
    private readonly emit: (event: GpuRealtimeEvent) => void,
  ) {}

  /** Resolves once every utterance added so far is completed (or failed). */
  get settled(): Promise<void> {
    return this.chain;
  }

  add(
    utterance: number,
    audio: Float32Array,
    options: () => Promise<LiveDecodeOptions>,
    engine: LiveEngine,
    model: string | undefined,
  ): void {
    this.chain = this.chain.then(async () => {
      try {
        const decode = await options();
        // Counts as use of the model, so the idle-unload sweep leaves alone a model sessions need.
        await this.deps.model(model);
        const transcript = await engine.final(audio, {
          ...decode,
          temperatures: this.deps.finalTemperatures,
        });
        this.emit({
          type: 'completed',
          utterance,
          transcript,
          language: decode.language,
          audio_seconds: Math.round((audio.length / SAMPLE_RATE) * 1000) / 1000,
        });
      } catch (error) {
        if (!(error instanceof ApiError)) this.deps.log?.(`final decode failed: ${(error as Error).stack}`);
        this.emit({ type: 'failed', utterance, error: asApiError(error).toBody().error });
      }
    });
  }
}
