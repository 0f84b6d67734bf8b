/**
 * Whisper's special-token id layout, which is the same for every checkpoint of a
 * given flavour and is what the config files, the tokenizer and Transformers.js'
 * generation code all have to agree on.
 */

/** openai/whisper `LANGUAGES` in dictionary order; the order defines the token ids. */
export const WHISPER_LANGUAGES = [
  ['en', 'english'],
  ['zh', 'chinese'],
  ['de', 'german'],
  ['es', 'spanish'],
  ['ru', 'russian'],
  ['ko', 'korean'],
  ['fr', 'french'],
  ['ja', 'japanese'],
  ['pt', 'portuguese'],
  ['tr', 'turkish'],
  ['pl', 'polish'],
  ['ca', 'catalan'],
  ['nl', 'dutch'],
  ['ar', 'arabic'],
  ['sv', 'swedish'],
  ['it', 'italian'],
  ['id', 'indonesian'],
  ['hi', 'hindi'],
  ['fi', 'finnish'],
  ['vi', 'vietnamese'],
  ['he', 'hebrew'],
  ['uk', 'ukrainian'],
  ['el', 'greek'],
  ['ms', 'malay'],
  ['cs', 'czech'],
  ['ro', 'romanian'],
  ['da', 'danish'],
  ['hu', 'hungarian'],
  ['ta', 'tamil'],
  ['no', 'norwegian'],
  ['th', 'thai'],
  ['ur', 'urdu'],
  ['hr', 'croatian'],
  ['bg', 'bulgarian'],
  ['lt', 'lithuanian'],
  ['la', 'latin'],
  ['mi', 'maori'],
  ['ml', 'malayalam'],
  ['cy', 'welsh'],
  ['sk', 'slovak'],
  ['te', 'telugu'],
  ['fa', 'persian'],
  ['lv', 'latvian'],
  ['bn', 'bengali'],
  ['sr', 'serbian'],
  ['az', 'azerbaijani'],
  ['sl', 'slovenian'],
  ['kn', 'kannada'],
  ['et', 'estonian'],
  ['mk', 'macedonian'],
  ['br', 'breton'],
  ['eu', 'basque'],
  ['is', 'icelandic'],
  ['hy', 'armenian'],
  ['ne', 'nepali'],
  ['mn', 'mongolian'],
  ['bs', 'bosnian'],
  ['kk', 'kazakh'],
  ['sq', 'albanian'],
  ['sw', 'swahili'],
  ['gl', 'galician'],
  ['mr', 'marathi'],
  ['pa', 'punjabi'],
  ['si', 'sinhala'],
  ['km', 'khmer'],
  ['sn', 'shona'],
  ['yo', 'yoruba'],
  ['so', 'somali'],
  ['af', 'afrikaans'],
  ['oc', 'occitan'],
  ['ka', 'georgian'],
  ['be', 'belarusian'],
  ['tg', 'tajik'],
  ['sd', 'sindhi'],
  ['gu', 'gujarati'],
  ['am', 'amharic'],
  ['yi', 'yiddish'],
  ['lo', 'lao'],
  ['uz', 'uzbek'],
  ['fo', 'faroese'],
  ['ht', 'haitian creole'],
  ['ps', 'pashto'],
  ['tk', 'turkmen'],
  ['nn', 'nynorsk'],
  ['mt', 'maltese'],
  ['sa', 'sanskrit'],
  ['lb', 'luxembourgish'],
  ['my', 'myanmar'],
  ['bo', 'tibetan'],
  ['tl', 'tagalog'],
  ['mg', 'malagasy'],
  ['as', 'assamese'],
  ['tt', 'tatar'],
  ['haw', 'hawaiian'],
  ['ln', 'lingala'],
  ['ha', 'hausa'],
  ['ba', 'bashkir'],
  ['jw', 'javanese'],
  ['su', 'sundanese'],
] as const;

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
