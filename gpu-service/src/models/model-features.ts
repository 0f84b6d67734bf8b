import type { MelBins } from '../audio/whisper-audio.js';
import { LogMelExtractor } from '../log-mel/log-mel-extractor.js';

/**
 * A loaded model's log-mel worker threads. They start on first use, as they did before they had an
 * owner: only transcription needs them, and a model loaded for /health or a reference comparison
 * never does. They stop when the model is unloaded, with its sessions.
 */
export class ModelFeatures {
  private extractor: Promise<LogMelExtractor> | undefined;
  private closed = false;

  constructor(private readonly nMels: MelBins) {}

  get(): Promise<LogMelExtractor> {
    // Workers started after the unload would have no owner left to stop them.
    if (this.closed) return Promise.reject(new Error('the model was unloaded'));
    this.extractor ??= LogMelExtractor.create({ nMels: this.nMels }).catch((error: unknown) => {
      this.extractor = undefined;
      throw error;
    });
    return this.extractor;
  }

  async close(): Promise<void> {
    this.closed = true;
    const extractor = await this.extractor?.catch(() => undefined);
    this.extractor = undefined;
    await extractor?.dispose();
  }
}
