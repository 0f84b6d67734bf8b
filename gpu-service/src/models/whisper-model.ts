import type { AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import type * as ort from 'onnxruntime-node';
import type { MelBins } from '../audio/whisper-audio.js';

/** The fields of the checkpoint's config.json our engine reads. */
export interface WhisperConfig {
  decoder_layers: number;
  decoder_attention_heads: number;
  d_model: number;
  num_mel_bins: number;
  median_filter_width?: number;
}

/** The fields of generation_config.json decoding reads; hub files leave many of them out. */
export interface WhisperGenerationConfig {
  decoder_start_token_id?: number;
  eos_token_id?: number | number[];
  no_timestamps_token_id?: number;
  task_to_id?: Record<string, number>;
  lang_to_id?: Record<string, number>;
  suppress_tokens?: number[] | null;
  begin_suppress_tokens?: number[] | null;
  max_length?: number;
  is_multilingual?: boolean;
  alignment_heads?: Array<[number, number]> | null;
}

export interface WhisperTokenizer {
  convert_tokens_to_ids(token: string): number | undefined | null;
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
}

export interface WhisperSessions {
  /** `model`: log-mel features → `last_hidden_state`. */
  encoder: ort.InferenceSession;
  /** `decoder_model_merged`: one graph for the first step and the cached ones after it. */
  decoder: ort.InferenceSession;
}

/**
 * A loaded Whisper checkpoint as our engine sees it, read once when the model loads. Transformers.js
 * types its pipeline for every architecture, so this file is the one place that says what a Whisper
 * pipeline holds; everything else reads this typed view.
 */
export interface WhisperModel {
  nMels: MelBins;
  multilingual: boolean;
  /** [decoder layer, head] pairs; empty when generation_config.json names none. */
  alignmentHeads: Array<[number, number]>;
  sessions: WhisperSessions;
  tokenizer: WhisperTokenizer;
  generationConfig: WhisperGenerationConfig;
  config: WhisperConfig;
}

interface WhisperPretrained {
  sessions: Record<string, ort.InferenceSession | undefined>;
  config: WhisperConfig;
  generation_config: WhisperGenerationConfig | null;
}

export function readWhisperModel(pipeline: AutomaticSpeechRecognitionPipeline): WhisperModel {
  const pretrained = pipeline.model as unknown as WhisperPretrained;
  const { model: encoder, decoder_model_merged: decoder } = pretrained.sessions;
  // Failing here makes a checkpoint we cannot decode a load error (on /health), not a crash mid-request.
  if (!encoder || !decoder)
    throw new Error(
      `not a Whisper encoder-decoder export: sessions [${Object.keys(pretrained.sessions)}] lack model and decoder_model_merged`,
    );
  const generationConfig = pretrained.generation_config ?? {};
  return {
    nMels: pretrained.config.num_mel_bins === 128 ? 128 : 80,
    multilingual: generationConfig.is_multilingual !== false,
    alignmentHeads: generationConfig.alignment_heads ?? [],
    sessions: { encoder, decoder },
    tokenizer: pipeline.tokenizer as unknown as WhisperTokenizer,
    generationConfig,
    config: pretrained.config,
  };
}

/**
 * Whether the model can give word timestamps: it names its alignment heads and its decoder outputs their
 * layers' cross-attention (exports without `output_attentions` do not).
 */
export function canAlignWords(model: WhisperModel): boolean {
  const outputs = model.sessions.decoder.outputNames;
  return (
    model.alignmentHeads.length > 0 &&
    model.alignmentHeads.every(([layer]) => outputs.includes(`cross_attentions.${layer}`))
  );
}
