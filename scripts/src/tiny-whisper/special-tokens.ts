/**
 * Whisper's special-token id layout, which is the same for every checkpoint of a
 * given flavour and is what the config files, the tokenizer and Transformers.js'
 * generation code all have to agree on.
 */

import { WHISPER_LANGUAGES as ALL_LANGUAGES } from '@whisper-edge/shared';

/**
 * openai/whisper `LANGUAGES` in dictionary order; the order defines the token ids. The shared list also
 * has Cantonese, which only large-v3's larger vocabulary carries, so the classic layout takes 99.
 */
export const WHISPER_LANGUAGES: ReadonlyArray<readonly [string, string]> = Object.entries(
  ALL_LANGUAGES,
).slice(0, 99);

if (WHISPER_LANGUAGES.length !== 99) throw new Error('Whisper has exactly 99 language tokens');

/** 0.00 s ... 30.00 s in 20 ms steps. */
export const NUM_TIMESTAMP_TOKENS = 1501;

export interface SpecialTokenLayout {
  multilingual: boolean;
  /** Ordinary byte-level BPE tokens occupy ids 0 .. regularVocabSize - 1. */
  regularVocabSize: number;
  endOfText: number;
  startOfTranscript: number;
  /** `<|en|>` → id, in Whisper order. */
  languages: ReadonlyMap<string, number>;
  translate: number;
  transcribe: number;
  startOfLm: number;
  startOfPrev: number;
  noSpeech: number;
  noTimestamps: number;
  timestampBegin: number;
  vocabSize: number;
  /** Every added token in id order, with the flag Transformers.js uses to find "special" ids. */
  addedTokens: readonly { id: number; content: string; special: boolean }[];
}

/**
 * Both flavours carry all 99 language tokens, exactly like openai/whisper's
 * tiktoken encodings (and the HF `.en` repos): the English-only tokenizer simply has
 * one regular token fewer (GPT-2's 50256 vs. the multilingual 50257), which shifts
 * every special id down by one. English-only models just never emit them.
 */
export function specialTokenLayout(multilingual: boolean): SpecialTokenLayout {
  const regularVocabSize = multilingual ? 50257 : 50256;
  const added: { id: number; content: string; special: boolean }[] = [];
  const push = (content: string, special = true): number => {
    const id = regularVocabSize + added.length;
    added.push({ id, content, special });
    return id;
  };
  const endOfText = push('<|endoftext|>');
  const startOfTranscript = push('<|startoftranscript|>');
  const languages = new Map<string, number>();
  for (const [code] of WHISPER_LANGUAGES) languages.set(`<|${code}|>`, push(`<|${code}|>`));
  const translate = push('<|translate|>');
  const transcribe = push('<|transcribe|>');
  const startOfLm = push('<|startoflm|>');
  const startOfPrev = push('<|startofprev|>');
  const noSpeech = push('<|nospeech|>');
  const noTimestamps = push('<|notimestamps|>');
  // Timestamps are added tokens but NOT special, as in the hub's Whisper tokenizers:
  // Transformers.js derives timestamp_begin as (last special id + 1) and relies on
  // decode(skip_special_tokens) keeping them.
  let timestampBegin = -1;
  for (let i = 0; i < NUM_TIMESTAMP_TOKENS; i++) {
    const id = push(`<|${(i * 0.02).toFixed(2)}|>`, false);
    if (i === 0) timestampBegin = id;
  }
  return {
    multilingual,
    regularVocabSize,
    endOfText,
    startOfTranscript,
    languages,
    translate,
    transcribe,
    startOfLm,
    startOfPrev,
    noSpeech,
    noTimestamps,
    timestampBegin,
    vocabSize: regularVocabSize + added.length,
    addedTokens: added,
  };
}
