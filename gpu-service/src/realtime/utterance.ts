import type { GpuRealtimeEvent } from '@whisper-edge/shared';
import type { AudioTape } from './audio-tape.js';
import type { LiveDecodeOptions, LiveEngine } from './live-engine.js';
import { type PartialOptions, PartialTranscript } from './partial-transcript.js';
import type { RealtimeSessionDeps } from './session-options.js';

/** One utterance of a live session: where it starts, its partial decodes, its decode options. */
export interface Utterance {
  n: number;
  start: number;
  partial: PartialTranscript | null;
  /** Asked for once (the first partial, else the final decode), then the same for both. */
  options: () => Promise<LiveDecodeOptions>;
}

export function newUtterance(n: number, start: number, options: () => Promise<LiveDecodeOptions>): Utterance {
  let decided: Promise<LiveDecodeOptions> | null = null;
  return {
    n,
    start,
    partial: null,
    options: () => {
      decided ??= options();
      return decided;
    },
  };
}

/** Partial decodes of `utterance` from sample `from`, its text going out as deltas. */
export function startPartial(
  engine: LiveEngine,
  tape: AudioTape,
  utterance: Utterance,
  from: number,
  options: PartialOptions,
  out: {
    emit: (event: GpuRealtimeEvent) => void;
    log: RealtimeSessionDeps['log'];
    onDecode: RealtimeSessionDeps['onPartialDecode'];
  },
): PartialTranscript {
  const partial = new PartialTranscript(
    engine,
    utterance.options,
    tape,
    from,
    options,
    (delta) => out.emit({ type: 'delta', utterance: utterance.n, delta }),
    (error) => out.log?.(`partial decode failed: ${(error as Error).message}`),
  );
  const observe = out.onDecode;
  if (observe) partial.onDecoded = (decode) => observe({ utterance: utterance.n, ...decode });
  return partial;
}
