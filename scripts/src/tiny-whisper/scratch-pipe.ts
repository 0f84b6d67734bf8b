import { AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import { Rng } from './rng.js';

const [parent, name] = [process.argv[2]!, process.argv[3]!];
env.allowRemoteModels = false;
env.localModelPath = parent;
env.useFSCache = false;
function audio(seconds: number, seed: number) {
  const r = new Rng(seed);
  const n = 16000 * seconds;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++)
    a[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000) * Math.sin((Math.PI * i) / n) + 0.05 * r.normal();
  return a;
}
let t = performance.now();
const asr = await pipeline('automatic-speech-recognition', name, { device: 'cpu', dtype: 'fp32' });
console.log('load', performance.now() - t);
const tok = await AutoTokenizer.from_pretrained(name);
const model: any = (asr as any).model;
const proc: any = (asr as any).processor;
const a = audio(3, 7);
const feats = await proc(a);
for (const opts of [{}, { return_timestamps: true }, { language: 'french', task: 'translate' }]) {
  t = performance.now();
  const out: any = await model.generate({ inputs: feats.input_features, ...opts });
  const ids = (out.sequences ?? out).tolist()[0].map(Number);
  console.log(
    JSON.stringify(opts),
    'ms',
    (performance.now() - t).toFixed(0),
    'len',
    ids.length,
    ids.slice(0, 30).join(','),
  );
}
t = performance.now();
console.log(JSON.stringify(await asr(a)), performance.now() - t);
t = performance.now();
console.log(JSON.stringify(await asr(a, { return_timestamps: true })).slice(0, 400), performance.now() - t);
t = performance.now();
console.log(JSON.stringify(await asr(a, { return_timestamps: 'word' })).slice(0, 600), performance.now() - t);
