/**
 * config.json, generation_config.json and preprocessor_config.json, mirroring
 * openai/whisper-tiny(.en) key by key with values derived from the tiny model's
 * dimensions and this project's tokenizer.
 */
import { MAX_SOURCE_POSITIONS, MAX_TARGET_POSITIONS, NUM_MEL_FRAMES, type WhisperDims } from './dims.js';
import type { SpecialTokenLayout } from './special-tokens.js';

/** Version string written where the hub files carry the exporting library's version. */
const TRANSFORMERS_VERSION = '4.40.0';

export interface TokenLists {
  /** `[id of " ", <|endoftext|>]`: Whisper may not start a transcript with a space or end it immediately. */
  beginSuppressTokens: number[];
  suppressTokens: number[];
}

/**
 * Non-speech symbols plus the prompt-only specials, like openai/whisper's
 * `DecodingTask._get_suppress_tokens` and the hub's `suppress_tokens`.
 */
export function buildTokenLists(
  layout: SpecialTokenLayout,
  nonSpeech: number[],
  spaceId: number,
): TokenLists {
  const suppress = new Set(nonSpeech);
  const promptOnly = [
    layout.startOfTranscript,
    layout.translate,
    layout.transcribe,
    layout.startOfLm,
    layout.startOfPrev,
    layout.noSpeech,
  ];
  for (const id of promptOnly) suppress.add(id);
  return {
    beginSuppressTokens: [spaceId, layout.endOfText],
    suppressTokens: [...suppress].sort((a, b) => a - b),
  };
}

/**
 * Like openai/whisper's default: every head of the upper half of the decoder.
 * (Real checkpoints ship a hand-picked subset; a random model has no better ones.)
 */
export function defaultAlignmentHeads(dims: WhisperDims): [number, number][] {
  const heads: [number, number][] = [];
  for (let layer = Math.floor(dims.decoderLayers / 2); layer < dims.decoderLayers; layer++) {
    for (let head = 0; head < dims.heads; head++) heads.push([layer, head]);
  }
  return heads;
}

function forcedDecoderIds(layout: SpecialTokenLayout): [number, number | null][] {
  return layout.multilingual
    ? [
        [1, null],
        [2, layout.transcribe],
      ]
    : [[1, layout.noTimestamps]];
}

export function buildConfigJson(dims: WhisperDims, layout: SpecialTokenLayout, lists: TokenLists): object {
  const en = layout.languages.get('<|en|>')!;
  return {
    _name_or_path: layout.multilingual
      ? 'whisper-edge/tiny-whisper-random'
      : 'whisper-edge/tiny-whisper-random.en',
    activation_dropout: 0.0,
    activation_function: 'gelu',
    apply_spec_augment: false,
    architectures: ['WhisperForConditionalGeneration'],
    attention_dropout: 0.0,
    begin_suppress_tokens: lists.beginSuppressTokens,
    // The hub configs use 50257 for both flavours: <|endoftext|> when multilingual,
    // <|startoftranscript|> for .en. Mirrored as is.
    bos_token_id: layout.multilingual ? layout.endOfText : layout.startOfTranscript,
    classifier_proj_size: 256,
    d_model: dims.dModel,
    decoder_attention_heads: dims.heads,
    decoder_ffn_dim: dims.ffnDim,
    decoder_layerdrop: 0.0,
    decoder_layers: dims.decoderLayers,
    decoder_start_token_id: layout.startOfTranscript,
    dropout: 0.0,
    encoder_attention_heads: dims.heads,
    encoder_ffn_dim: dims.ffnDim,
    encoder_layerdrop: 0.0,
    encoder_layers: dims.encoderLayers,
    eos_token_id: layout.endOfText,
    forced_decoder_ids: layout.multilingual
      ? [
          [1, en],
          [2, layout.transcribe],
          [3, layout.noTimestamps],
        ]
      : [[1, layout.noTimestamps]],
    init_std: 0.02,
    is_encoder_decoder: true,
    mask_feature_length: 10,
    mask_feature_min_masks: 0,
    mask_feature_prob: 0.0,
    mask_time_length: 10,
    mask_time_min_masks: 2,
    mask_time_prob: 0.05,
    max_length: MAX_TARGET_POSITIONS,
    max_source_positions: MAX_SOURCE_POSITIONS,
    max_target_positions: MAX_TARGET_POSITIONS,
    // Read by Transformers.js for word timestamps; it warns and assumes 7 when absent.
    median_filter_width: 7,
    model_type: 'whisper',
    num_hidden_layers: dims.encoderLayers,
    num_mel_bins: dims.numMelBins,
    pad_token_id: layout.endOfText,
    scale_embedding: false,
    suppress_tokens: lists.suppressTokens,
    torch_dtype: 'float32',
    transformers_version: TRANSFORMERS_VERSION,
    use_cache: true,
    use_weighted_layer_sum: false,
    vocab_size: layout.vocabSize,
  };
}

export function buildGenerationConfigJson(
  dims: WhisperDims,
  layout: SpecialTokenLayout,
  lists: TokenLists,
): object {
  const multilingualOnly = layout.multilingual
    ? {
        lang_to_id: Object.fromEntries(layout.languages),
        task_to_id: { transcribe: layout.transcribe, translate: layout.translate },
      }
    : {};
  const config: Record<string, unknown> = {
    alignment_heads: defaultAlignmentHeads(dims),
    begin_suppress_tokens: lists.beginSuppressTokens,
    bos_token_id: layout.multilingual ? layout.endOfText : layout.startOfTranscript,
    decoder_start_token_id: layout.startOfTranscript,
    eos_token_id: layout.endOfText,
    forced_decoder_ids: forcedDecoderIds(layout),
    is_multilingual: layout.multilingual,
    ...multilingualOnly,
    max_initial_timestamp_index: 50,
    max_length: MAX_TARGET_POSITIONS,
    no_timestamps_token_id: layout.noTimestamps,
    pad_token_id: layout.endOfText,
    prev_sot_token_id: layout.startOfPrev,
    return_timestamps: false,
    suppress_tokens: lists.suppressTokens,
    transformers_version: TRANSFORMERS_VERSION,
  };
  // Keep the hub's alphabetical key order regardless of the spread above.
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The hub file also embeds `mel_filters` (num_mel_bins × 201 floats). Transformers.js
 * computes the identical Slaney filter bank when the key is absent, so it is left out
 * to keep the file small.
 */
export function buildPreprocessorConfigJson(dims: WhisperDims): object {
  const hopLength = 160;
  return {
    chunk_length: 30,
    feature_extractor_type: 'WhisperFeatureExtractor',
    feature_size: dims.numMelBins,
    hop_length: hopLength,
    n_fft: 400,
    n_samples: NUM_MEL_FRAMES * hopLength,
    nb_max_frames: NUM_MEL_FRAMES,
    padding_side: 'right',
    padding_value: 0.0,
    processor_class: 'WhisperProcessor',
    return_attention_mask: false,
    sampling_rate: 16000,
  };
}
