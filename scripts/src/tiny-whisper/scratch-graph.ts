import * as ort from 'onnxruntime-node';
import { buildDecoderGraph } from './decoder-graph.js';
import { PRESETS } from './dims.js';
import { buildEncoderGraph } from './encoder-graph.js';
import { Rng } from './rng.js';

const dims = PRESETS.test;
const rng = new Rng(1);
let t = performance.now();
const encBytes = buildEncoderGraph(dims, rng);
const decBytes = buildDecoderGraph(dims, { vocabSize: 51865 }, rng);
console.log('build ms', performance.now() - t, encBytes.length, decBytes.length);
t = performance.now();
const enc = await ort.InferenceSession.create(encBytes);
const dec = await ort.InferenceSession.create(decBytes);
console.log('load ms', performance.now() - t);
console.log(dec.inputNames, dec.outputNames.slice(0, 6));
console.log(JSON.stringify((dec as any).inputMetadata?.slice?.(0, 3)));
const feats = new ort.Tensor(
  'float32',
  Float32Array.from({ length: 80 * 3000 }, (_, i) => Math.sin(i)),
  [1, 80, 3000],
);
const { last_hidden_state: h } = await enc.run({ input_features: feats });
console.log(h!.dims, (h!.data as Float32Array).slice(0, 4));
const feeds: Record<string, ort.Tensor> = {
  input_ids: new ort.Tensor('int64', BigInt64Array.from([50258n, 50259n]), [1, 2]),
  encoder_hidden_states: h!,
};
for (let i = 0; i < dims.decoderLayers; i++)
  for (const s of ['decoder', 'encoder'])
    for (const kv of ['key', 'value'])
      feeds[`past_key_values.${i}.${s}.${kv}`] = new ort.Tensor(
        'float32',
        new Float32Array(0),
        [1, 2, 0, 32],
      );
const out = await dec.run(feeds);
console.log(
  out.logits!.dims,
  out['present.0.decoder.key']!.dims,
  out['present.0.encoder.key']!.dims,
  out['cross_attentions.0']!.dims,
);
