import { buildWhisperTokenizer, nonSpeechTokens } from './tokenizer.js';

let t = performance.now();
const m = buildWhisperTokenizer(true);
console.log('ms', performance.now() - t, m.bpe.tokens.length, m.bpe.merges.length, m.layout.vocabSize);
t = performance.now();
const e = buildWhisperTokenizer(false);
console.log(
  'ms',
  performance.now() - t,
  e.bpe.tokens.length,
  e.layout.vocabSize,
  e.layout.translate,
  e.layout.noTimestamps,
  e.layout.timestampBegin,
);
console.log(m.bpe.tokens.slice(256, 330).join(' | '));
console.log(m.bpe.tokens.slice(-10).join(' | '));
console.log(nonSpeechTokens(m.bpe));
console.log(
  m.bpe.encode(' -'),
  m.bpe.encode(" '"),
  m.bpe.encode(' '),
  m.bpe.encode('♪'),
  m.bpe.encode('Hello world, the morning train.'),
);
console.log(JSON.stringify(m.tokenizerJson).length);
