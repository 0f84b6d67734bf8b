/** Architecture hyper-parameters shared by the graph builders and the JSON configs. */

export interface WhisperDims {
  dModel: number;
  encoderLayers: number;
  decoderLayers: number;
  /** Used for both encoder and decoder, as in every released Whisper checkpoint. */
  heads: number;
  /** Used for both encoder and decoder MLPs. */
  ffnDim: number;
  numMelBins: 80 | 128;
}

/** Fixed by Whisper itself: 30 s of 10 ms mel frames, halved by the stride-2 conv. */
export const MAX_SOURCE_POSITIONS = 1500;
export const NUM_MEL_FRAMES = 3000;
export const MAX_TARGET_POSITIONS = 448;

export const PRESETS = {
  /** Small enough that the whole model directory stays a few MB and loads in well under a second. */
  test: { dModel: 64, encoderLayers: 2, decoderLayers: 2, heads: 2, ffnDim: 256, numMelBins: 80 },
  /** openai/whisper-tiny dimensions. */
  tiny: { dModel: 384, encoderLayers: 4, decoderLayers: 4, heads: 6, ffnDim: 1536, numMelBins: 80 },
  /** openai/whisper-base dimensions. */
  base: { dModel: 512, encoderLayers: 6, decoderLayers: 6, heads: 8, ffnDim: 2048, numMelBins: 80 },
} as const satisfies Record<string, WhisperDims>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

export function validateDims(d: WhisperDims): void {
  const positive = ['dModel', 'encoderLayers', 'decoderLayers', 'heads', 'ffnDim'] as const;
  for (const key of positive) {
    if (!Number.isInteger(d[key]) || d[key] < 1) throw new Error(`${key} must be a positive integer`);
  }
  if (d.dModel % d.heads !== 0)
    throw new Error(`dModel (${d.dModel}) must be divisible by heads (${d.heads})`);
  // Whisper's sinusoidal position formula divides by (channels / 2 - 1).
  if (d.dModel % 2 !== 0 || d.dModel < 4) throw new Error('dModel must be even and at least 4');
  if (d.numMelBins !== 80 && d.numMelBins !== 128) throw new Error('numMelBins must be 80 or 128');
}

export function headDim(d: WhisperDims): number {
  return d.dModel / d.heads;
}
