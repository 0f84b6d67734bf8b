/**
 * Wraps a Whisper encoder and a merged decoder (hub/optimum layout: `use_cache_branch`, `present.*`)
 * into one model whose only node is onnxruntime's `WhisperBeamSearch` contrib op (com.microsoft), so
 * the whole decode loop of a window runs inside one `run`: the cross-attention cache is computed once
 * and stays where onnxruntime put it (device memory on CUDA) instead of crossing to the host and back
 * on every step, as it does when Node drives the loop (onnxruntime-node has no CUDA IO binding).
 *
 * The op's two subgraphs are built from the same graphs, renamed:
 *  - `encoder` (encoder + first decoder step): input_features and the prompt in, logits, the
 *    encoder's states and both caches out (`use_cache_branch` false);
 *  - `decoder` (one cached step): the next token and the caches in, logits and the grown self cache
 *    out (`use_cache_branch` true).
 * The decoder's weights are stored once, in the outer graph, and read by both subgraphs; the
 * encoder's stay in the encoder subgraph (see docs/gpu-data-movement.md for why).
 */
import { beamSearchModel, type ChainTokens } from './beam-search-op.js';
import { constTensor, type Graph, info, inline, type Node, onnx, weightsOf } from './onnx-splice.js';

export type { ChainTokens } from './beam-search-op.js';

const T = onnx.TensorProto.DataType;

export interface ChainShape {
  layers: number;
  heads: number;
  headDim: number;
  vocabSize: number;
  nMels: number;
}

/** Feeds of a merged decoder that has no value here: empty caches (first step) and the branch flag. */
function decoderBinds(shape: ChainShape, kind: 'init' | 'step', emptyCache: string, flag: string) {
  const bind: Record<string, string> = { use_cache_branch: flag };
  for (let i = 0; i < shape.layers; i++) {
    bind[`past_key_values.${i}.decoder.key`] = kind === 'init' ? emptyCache : `past_key_self_${i}`;
    bind[`past_key_values.${i}.decoder.value`] = kind === 'init' ? emptyCache : `past_value_self_${i}`;
    bind[`past_key_values.${i}.encoder.key`] = kind === 'init' ? emptyCache : `past_key_cross_${i}`;
    bind[`past_key_values.${i}.encoder.value`] = kind === 'init' ? emptyCache : `past_value_cross_${i}`;
  }
  return bind;
}

/** `flag` = (dimension `axis` of `of`) compared with 0: the first step's false, later steps' true. */
function flagNodes(
  prefix: string,
  of: string,
  axis: number,
  compare: 'Less' | 'Greater',
  flag: string,
): Node[] {
  const int = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  return [
    {
      opType: 'Shape',
      input: [of],
      output: [`${prefix}flag_dim`],
      attribute: [int('start', axis), int('end', axis + 1)],
    },
    { opType: compare, input: [`${prefix}flag_dim`, 'c/zero'], output: [flag] },
  ];
}

/**
 * `encoderBytes` undefined: the op's "encoder" input is the encoder's output instead
 * (`last_hidden_state`, [batch × frames × d_model]), computed by our own encoder session, so the
 * engine keeps the states for a teacher-forced pass afterwards (teacher-forced.ts).
 */
export function buildBeamSearchChain(
  encoderBytes: Uint8Array | undefined,
  decoderBytes: Uint8Array,
  shape: ChainShape,
  tokens: ChainTokens,
): Uint8Array {
  const decoder = onnx.ModelProto.decode(decoderBytes);
  const encoder = encoderBytes ? onnx.ModelProto.decode(encoderBytes) : undefined;
  const { heads: H, headDim: hd, vocabSize: V } = shape;
  // float32, or float16 for fp16 exports (the op takes either; all subgraph floats must agree).
  const F = decoder.graph!.output!.find((o) => o.name === 'logits')!.type!.tensorType!.elemType!;
  const featuresType = encoder
    ? encoder.graph!.input!.find((i) => i.name === 'input_features')!.type!.tensorType!.elemType!
    : F;

  // Encoder subgraph: the encoder, then the decoder's first step over the prompt.
  const enc = encoder
    ? inline(encoder.graph!, 'e/', 'we/', { input_features: 'encoder_input_ids' })
    : { nodes: [], outputs: { last_hidden_state: 'e/hidden' } };
  const hidden = enc.outputs.last_hidden_state!;
  const initNodes: Node[] = [
    ...(encoder ? enc.nodes : [{ opType: 'Identity', input: ['encoder_input_ids'], output: [hidden] }]),
    {
      opType: 'Cast',
      input: ['decoder_input_ids'],
      output: ['i/ids64'],
      attribute: [{ name: 'to', type: 2, i: T.INT64 }],
    },
    {
      opType: 'Shape',
      input: ['decoder_input_ids'],
      output: ['i/batch'],
      attribute: [{ name: 'end', type: 2, i: 1 }],
    },
    {
      opType: 'Concat',
      input: ['i/batch', 'c/cache_tail'],
      output: ['i/cache_shape'],
      attribute: [{ name: 'axis', type: 2, i: 0 }],
    },
    {
      opType: 'ConstantOfShape',
      input: ['i/cache_shape'],
      output: ['i/empty_cache'],
      attribute: [
        {
          name: 'value',
          type: 4,
          t: { dataType: F, dims: [1], rawData: new Uint8Array(F === T.FLOAT ? 4 : 2) },
        },
      ],
    },
    // The branch flags are computed, not constants: onnxruntime folds an `If` on a constant, which
    // drops the other branch's weights from this subgraph's outer-scope reads, and the op feeds both
    // subgraphs the same list of outer values (see flagNodes).
    ...flagNodes('i/', 'decoder_input_ids', 1, 'Less', 'i/flag'),
  ];
  const first = inline(decoder.graph!, 'i/', 'wd/', {
    ...decoderBinds(shape, 'init', 'i/empty_cache', 'i/flag'),
    input_ids: 'i/ids64',
    encoder_hidden_states: hidden,
  });
  initNodes.push(...first.nodes);
  const initOutputs: Array<[string, string, Array<number | string>]> = [
    ['logits', first.outputs.logits!, ['B', 'S', V]],
    ['encoder_hidden_states', hidden, ['B', 'frames', H * hd]],
  ];
  for (const kind of ['decoder', 'encoder'] as const)
    for (let i = 0; i < shape.layers; i++)
      for (const kv of ['key', 'value'] as const)
        initOutputs.push([
          `present_${kv}_${kind === 'decoder' ? 'self' : 'cross'}_${i}`,
          first.outputs[`present.${i}.${kind}.${kv}`]!,
          ['B', H, kind === 'decoder' ? 'S' : 'frames', hd],
        ]);
  for (const [name, source] of initOutputs)
    initNodes.push({ opType: 'Identity', input: [source], output: [name] });
  const encoderGraph: Graph = {
    name: 'encoder_decoder_init',
    node: initNodes,
    // Only values both subgraphs read may live outside them: the op hands each subgraph all of them.
    initializer: [
      ...(encoder ? weightsOf(encoder.graph!, 'we/') : []),
      constTensor('c/zero', T.INT64, [1], new Uint8Array(BigInt64Array.of(0n).buffer)),
      constTensor(
        'c/cache_tail',
        T.INT64,
        [3],
        new Uint8Array(BigInt64Array.of(BigInt(H), 0n, BigInt(hd)).buffer),
      ),
    ],
    input: [
      info(
        'encoder_input_ids',
        featuresType,
        encoder ? ['B', shape.nMels, 'mel_frames'] : ['B', 'frames', H * hd],
      ),
      info('decoder_input_ids', T.INT32, ['B', 'S']),
    ],
    output: initOutputs.map(([name, , dims]) => info(name, F, dims)),
  };

  // Decoder subgraph: one cached step.
  const stepInputs = [
    info('input_ids', T.INT32, ['B', 1]),
    info('encoder_hidden_states', F, ['B', 'frames', H * hd]),
  ];
  for (const kind of ['self', 'cross'] as const)
    for (let i = 0; i < shape.layers; i++)
      for (const kv of ['key', 'value'] as const)
        stepInputs.push(info(`past_${kv}_${kind}_${i}`, F, ['B', H, kind === 'self' ? 'P' : 'frames', hd]));
  const step = inline(decoder.graph!, 's/', 'wd/', {
    ...decoderBinds(shape, 'step', '', 's/flag'),
    input_ids: 's/ids64',
    encoder_hidden_states: 'encoder_hidden_states',
  });
  const stepOutputs: Array<[string, string, Array<number | string>]> = [
    ['logits', step.outputs.logits!, ['B', 1, V]],
  ];
  for (let i = 0; i < shape.layers; i++)
    for (const kv of ['key', 'value'] as const)
      stepOutputs.push([
        `present_${kv}_self_${i}`,
        step.outputs[`present.${i}.decoder.${kv}`]!,
        ['B', H, 'P1', hd],
      ]);
  const decoderGraph: Graph = {
    name: 'decoder_step',
    node: [
      {
        opType: 'Cast',
        input: ['input_ids'],
        output: ['s/ids64'],
        attribute: [{ name: 'to', type: 2, i: T.INT64 }],
      },
      ...flagNodes('s/', 'past_key_self_0', 2, 'Greater', 's/flag'),
      ...step.nodes,
      ...stepOutputs.map(([name, source]) => ({ opType: 'Identity', input: [source], output: [name] })),
    ],
    initializer: [constTensor('c/zero', T.INT64, [1], new Uint8Array(BigInt64Array.of(0n).buffer))],
    input: stepInputs,
    output: stepOutputs.map(([name, , dims]) => info(name, F, dims)),
  };

  return beamSearchModel({
    encoder: encoderGraph,
    decoder: decoderGraph,
    sharedWeights: weightsOf(decoder.graph!, 'wd/'),
    tokens,
    vocabSize: V,
    featuresDims: encoder ? ['batch', shape.nMels, 'mel_frames'] : ['batch', 'frames', H * hd],
    irVersion: Number((encoder ?? decoder).irVersion ?? 8),
    opsets: (decoder.opsetImport ?? []).filter((o) => o.domain !== 'com.microsoft'),
    featuresType,
  });
}
