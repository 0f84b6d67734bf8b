import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer, WhisperTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTokenLists } from './model-configs.js';
import { specialTokenLayout, WHISPER_LANGUAGES } from './special-tokens.js';
import { buildWhisperTokenizer, nonSpeechTokens } from './tokenizer.js';

describe('special token layout', () => {
  it('matches multilingual Whisper ids', () => {
    const l = specialTokenLayout(true);
    expect(l.regularVocabSize).toBe(50257);
    expect(l.endOfText).toBe(50257);
    expect(l.startOfTranscript).toBe(50258);
    expect(WHISPER_LANGUAGES).toHaveLength(99);
    expect([...l.languages.values()]).toEqual(Array.from({ length: 99 }, (_, i) => 50259 + i));
    expect(l.languages.get('<|en|>')).toBe(50259);
    expect(l.languages.get('<|fr|>')).toBe(50265);
    expect(l.languages.get('<|haw|>')).toBe(50352);
    expect(l.languages.get('<|su|>')).toBe(50357);
    expect([l.translate, l.transcribe, l.startOfLm, l.startOfPrev, l.noSpeech, l.noTimestamps]).toEqual([
      50358, 50359, 50360, 50361, 50362, 50363,
    ]);
    expect(l.timestampBegin).toBe(50364);
    expect(l.addedTokens.at(-1)).toEqual({ id: 51864, content: '<|30.00|>', special: false });
    expect(l.vocabSize).toBe(51865);
  });

  it('matches the .en layout (language tokens are present but unused, as in openai/whisper)', () => {
    const l = specialTokenLayout(false);
    expect(l.regularVocabSize).toBe(50256);
    expect(l.endOfText).toBe(50256);
    expect(l.startOfTranscript).toBe(50257);
    expect([l.translate, l.transcribe, l.startOfLm, l.startOfPrev, l.noSpeech, l.noTimestamps]).toEqual([
      50357, 50358, 50359, 50360, 50361, 50362,
    ]);
    expect(l.timestampBegin).toBe(50363);
    expect(l.addedTokens.at(-1)?.id).toBe(51863);
    expect(l.vocabSize).toBe(51864);
  });
});

describe('byte-level BPE', () => {
  const multi = buildWhisperTokenizer(true);
  const english = buildWhisperTokenizer(false);

  it('fills the regular vocabulary exactly, deterministically, with unique tokens', () => {
    expect(multi.bpe.tokens).toHaveLength(50257);
    expect(english.bpe.tokens).toHaveLength(50256);
    expect(new Set(multi.bpe.tokens).size).toBe(50257);
    expect(multi.bpe.merges).toHaveLength(50257 - 256);
    // The smaller vocabulary is a prefix of the larger one, so shared ids agree.
    expect(english.bpe.tokens).toEqual(multi.bpe.tokens.slice(0, 50256));
    for (const [a, b] of multi.bpe.merges.slice(-100)) {
      expect(multi.bpe.tokenToId.has(a) && multi.bpe.tokenToId.has(b)).toBe(true);
    }
  });

  it('puts bytes in GPT-2 order so the Whisper ids of " " and punctuation hold', () => {
    expect(multi.bpe.encode(' ')).toEqual([220]);
    expect(multi.bpe.encode('!"#')).toEqual([0, 1, 2]);
    const lists = buildTokenLists(multi.layout, nonSpeechTokens(multi.bpe), 220);
    expect(lists.beginSuppressTokens).toEqual([220, 50257]);
    // Whisper's list starts with the same single-byte symbols: " # ( ) * + / : ; < = > @ [ \ ] ^ _ `
    expect(lists.suppressTokens.slice(0, 23)).toEqual([
      1, 2, 7, 8, 9, 10, 14, 25, 26, 27, 28, 29, 31, 58, 59, 60, 61, 62, 63, 90, 91, 92, 93,
    ]);
    expect(lists.suppressTokens.slice(-6)).toEqual([50258, 50358, 50359, 50360, 50361, 50362]);
    expect(lists.suppressTokens).not.toContain(220);
  });
});

describe.each([
  ['multilingual', true],
  ['english-only', false],
])('generated %s tokenizer files through Transformers.js', (_label, multilingual) => {
  const files = buildWhisperTokenizer(multilingual);
  let parent: string;
  let tokenizer: PreTrainedTokenizer;
  const texts = [
    'Hello world, the morning train left at 7:45 - on time!',
    '  Spaces,\ttabs\nand \'quotes\' (and "more").',
    'Grüße aus Köln: ça va? Ελληνικά, русский, 日本語の文章, emoji 🎙️👍 and ♪ music ♪',
  ];

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'tiny-whisper-tok-'));
    const name = `tok-${multilingual ? 'multi' : 'en'}`;
    // Only the two files AutoTokenizer reads, so this suite doesn't build any graphs.
    await mkdir(join(parent, name));
    await writeFile(join(parent, name, 'tokenizer.json'), JSON.stringify(files.tokenizerJson));
    await writeFile(join(parent, name, 'tokenizer_config.json'), JSON.stringify(files.tokenizerConfigJson));
    env.allowRemoteModels = false;
    env.useFSCache = false;
    env.localModelPath = parent;
    tokenizer = await AutoTokenizer.from_pretrained(name);
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  it('loads as a WhisperTokenizer with the right special ids', () => {
    const l = files.layout;
    expect(tokenizer).toBeInstanceOf(WhisperTokenizer);
    expect((tokenizer as WhisperTokenizer).timestamp_begin).toBe(l.timestampBegin);
    expect(tokenizer.all_special_ids.at(-1)).toBe(l.noTimestamps);
    expect(
      tokenizer.convert_tokens_to_ids(['<|endoftext|>', '<|startoftranscript|>', '<|notimestamps|>']),
    ).toEqual([l.endOfText, l.startOfTranscript, l.noTimestamps]);
    expect(tokenizer.convert_tokens_to_ids('<|30.00|>')).toBe(l.vocabSize - 1);
    expect(tokenizer.eos_token_id).toBe(l.endOfText);
  });

  it.each(texts)('round-trips %j', (text) => {
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    expect(ids.every((id) => id < files.layout.regularVocabSize)).toBe(true);
    expect(tokenizer.decode(ids, { clean_up_tokenization_spaces: false })).toBe(text);
    // The project's own encoder (used to derive suppress lists) agrees with Transformers.js.
    expect(files.bpe.encode(text)).toEqual(ids);

    const withSpecials = tokenizer.encode(text);
    expect(withSpecials.slice(0, 2)).toEqual([files.layout.startOfTranscript, files.layout.noTimestamps]);
    expect(withSpecials.at(-1)).toBe(files.layout.endOfText);
    expect(
      tokenizer.decode(withSpecials, { skip_special_tokens: true, clean_up_tokenization_spaces: false }),
    ).toBe(text);
  });

  it('keeps timestamps as text when skipping special tokens, like the hub tokenizers', () => {
    const ids = [
      files.layout.startOfTranscript,
      files.layout.timestampBegin + 50,
      ...tokenizer.encode(' hi', { add_special_tokens: false }),
    ];
    expect(tokenizer.decode(ids, { skip_special_tokens: true })).toBe('<|1.00|> hi');
  });
});
