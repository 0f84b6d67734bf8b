/**
 * The outer model of a Whisper chain: one `WhisperBeamSearch` node (com.microsoft) with its two
 * subgraphs as attributes, the op's inputs by position, and the weights both subgraphs read.
 */
import type { onnx as OnnxNamespace } from 'onnx-proto';
import { type Graph, info, onnx } from './onnx-splice.js';

const T = onnx.TensorProto.DataType;

export interface ChainTokens {
  eot: number;
  sot: number;
  noSpeech?: number | undefined;
  timestampBegin: number;
  transcribe: number;
  translate: number;
  noTimestamps: number;
  startOfLm?: number | undefined;
}

/** The op's inputs by position (onnxruntime's WhisperBeamSearch schema). */
export const BEAM_SEARCH_INPUTS = [
  'input_features',
  'max_length',
  'min_length',
  'num_beams',
  'num_return_sequences',
  'length_penalty',
  'repetition_penalty',
  'vocab_mask',
  'prefix_vocab_mask',
  '', // attention_mask: unused by Whisper
  'decoder_input_ids',
  'logits_processor',
  '', // cross_qk_layer_head: needs DecoderMaskedMultiHeadAttention (see docs/gpu-data-movement.md)
  '', // extra_decoding_ids
  'temperature',
] as const;

export interface BeamSearchParts {
  encoder: Graph;
  decoder: Graph;
  /** Initializers of the outer graph: only values that both subgraphs read (the op feeds all to both). */
  sharedWeights: OnnxNamespace.ITensorProto[];
  tokens: ChainTokens;
  vocabSize: number;
  /** The op's first input: log-mel features [batch, mels, frames], or the encoder's states. */
  featuresDims: Array<number | string>;
  irVersion: number;
  opsets: OnnxNamespace.IOperatorSetIdProto[];
  /** The encoder's input_features element type (float32, or float16 in fp16 exports). */
  featuresType: number;
}

export function beamSearchModel(parts: BeamSearchParts): Uint8Array {
  const { tokens, vocabSize: V } = parts;
  const F = T.FLOAT;
  const encoderGraph = parts.encoder;
  const decoderGraph = parts.decoder;
  const ints = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const graphAttr = (name: string, g: Graph) => ({ name, type: onnx.AttributeProto.AttributeType.GRAPH, g });
  const attributes = [
    ints('eos_token_id', tokens.eot),
    ints('pad_token_id', tokens.eot),
    ints('decoder_start_token_id', tokens.sot),
    ints('model_type', 2),
    ints('vocab_size', V),
    ints('no_repeat_ngram_size', 0),
    ints('early_stopping', 0),
    ints('beginning_timestamp_token_id', tokens.timestampBegin),
    ints('transcribe_token_id', tokens.transcribe),
    ints('translate_token_id', tokens.translate),
    ints('no_timestamps_token_id', tokens.noTimestamps),
    ...(tokens.startOfLm !== undefined ? [ints('start_of_lm_token_id', tokens.startOfLm)] : []),
    ...(tokens.noSpeech !== undefined ? [ints('no_speech_token_id', tokens.noSpeech)] : []),
    graphAttr('encoder', encoderGraph),
    graphAttr('decoder', decoderGraph),
  ];
  const main: Graph = {
    name: 'whisper_beam_search',
    node: [
      {
        opType: 'WhisperBeamSearch',
        domain: 'com.microsoft',
        name: 'beam_search',
        input: [...BEAM_SEARCH_INPUTS],
        output: ['sequences', 'sequences_scores'],
        attribute: attributes,
      },
    ],
    initializer: parts.sharedWeights,
    input: [
      info('input_features', parts.featuresType, parts.featuresDims),
      ...['max_length', 'min_length', 'num_beams', 'num_return_sequences', 'logits_processor'].map((n) =>
        info(n, T.INT32, [1]),
      ),
      info('length_penalty', F, [1]),
      info('repetition_penalty', F, [1]),
      info('vocab_mask', T.INT32, [V]),
      info('prefix_vocab_mask', T.INT32, ['batch', V]),
      info('decoder_input_ids', T.INT32, ['batch', 'prompt']),
      info('temperature', F, [1]),
    ],
    output: [
      info('sequences', T.INT32, ['batch', 'returns', 'max_length']),
      info('sequences_scores', F, ['batch', 'returns']),
    ],
  };
  const model: OnnxNamespace.IModelProto = {
    irVersion: parts.irVersion,
    producerName: 'whisper-edge beam-search-chain',
    opsetImport: [...parts.opsets, { domain: 'com.microsoft', version: 1 }],
    graph: main,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
