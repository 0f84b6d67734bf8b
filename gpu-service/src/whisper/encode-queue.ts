import type * as ort from 'onnxruntime-node';
import type { WhisperModel } from '../models/whisper-model.js';
import type { DecodeLoop } from './decode-loop.js';
import type { FeatureExtractor } from './decode-types.js';
import { encodeWindows, type WindowInput } from './encode-windows.js';

/** A window's row of an encoder output. */
export interface EncodedRow {
  hidden: ort.Tensor;
  row: number;
}

interface Pending {
  input: WindowInput;
  urgent: boolean;
  resolve: (row: EncodedRow) => void;
  reject: (error: unknown) => void;
}

/**
 * Windows wait here for the encoder, from every caller of the engine: when the decode loop has places
 * free, the encoder runs once on as many waiting windows as there are places (at least one), so it
 * batches whatever windows are ready and no window is encoded long before it can be decoded. Urgent
 * (live) windows go first and do not wait for a place.
 */
export class EncodeQueue {
  private readonly pending: Pending[] = [];
  private running = false;

  constructor(
    private readonly model: WhisperModel,
    private readonly features: FeatureExtractor,
    private readonly loop: DecodeLoop,
    private readonly sizes: { batchSize: number; encoderBatchSize: number },
  ) {}

  encode(input: WindowInput, urgent = false): Promise<EncodedRow> {
    return new Promise((resolve, reject) => {
      const entry = { input, urgent, resolve, reject };
      const firstNotUrgent = this.pending.findIndex((p) => !p.urgent);
      if (urgent && firstNotUrgent >= 0) this.pending.splice(firstNotUrgent, 0, entry);
      else this.pending.push(entry);
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        // A turn of the event loop first: windows handed in together are encoded together, and those
        // just encoded have reached the loop, so its load counts them.
        await new Promise((resolve) => setImmediate(resolve));
        if (!this.pending[0]!.urgent && this.loop.load >= this.sizes.batchSize) {
          await this.loop.room();
          continue;
        }
        const urgent = this.pending.filter((p) => p.urgent).length;
        const count = Math.min(
          this.pending.length,
          this.sizes.encoderBatchSize,
          Math.max(1, urgent, this.sizes.batchSize - this.loop.load),
        );
        const batch = this.pending.splice(0, count);
        try {
          const hidden = await encodeWindows(
            this.model,
            this.features,
            batch.map((p) => p.input),
          );
          for (const [row, p] of batch.entries()) p.resolve({ hidden, row });
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
