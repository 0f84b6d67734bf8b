/** Whisper's tokenizer files over the project's byte-level BPE, with Whisper's special-token layout. */
import { type ByteLevelBpe, buildByteLevelBpe } from './byte-level-bpe.js';
import { type SpecialTokenLayout, specialTokenLayout } from './special-tokens.js';

export { nonSpeechTokens } from './byte-level-bpe.js';

export interface WhisperTokenizerFiles {
  layout: SpecialTokenLayout;
  bpe: ByteLevelBpe;
  tokenizerJson: object;
  tokenizerConfigJson: object;
}

function addedTokenEntry(t: { id: number; content: string; special: boolean }) {
  return {
    id: t.id,
    content: t.content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: t.special,
  };
}

/** tokenizer.json + tokenizer_config.json as found in the hub's Whisper repos. */
export function buildWhisperTokenizer(multilingual: boolean): WhisperTokenizerFiles {
  const layout = specialTokenLayout(multilingual);
  const bpe = buildByteLevelBpe(layout.regularVocabSize);
  const sot = '<|startoftranscript|>';
  const notimestamps = '<|notimestamps|>';
  const eot = '<|endoftext|>';
  const special = (content: string, typeId = 0) => ({ SpecialToken: { id: content, type_id: typeId } });
  const specialEntry = (content: string, id: number) => ({ id: content, ids: [id], tokens: [content] });

  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: layout.addedTokens.map(addedTokenEntry),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    // Whisper's default prefix when no language/task is set: <|startoftranscript|><|notimestamps|> … <|endoftext|>.
    post_processor: {
      type: 'TemplateProcessing',
      single: [special(sot), special(notimestamps), { Sequence: { id: 'A', type_id: 0 } }, special(eot)],
      pair: [
        special(sot),
        special(notimestamps),
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        special(eot, 1),
      ],
      special_tokens: {
        [eot]: specialEntry(eot, layout.endOfText),
        [notimestamps]: specialEntry(notimestamps, layout.noTimestamps),
        [sot]: specialEntry(sot, layout.startOfTranscript),
      },
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(bpe.tokens.map((t, i) => [t, i])),
      merges: bpe.merges.map(([a, b]) => `${a} ${b}`),
    },
  };

  const specials = layout.addedTokens.filter((t) => t.special);
  const tokenizerConfigJson = {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: Object.fromEntries(
      layout.addedTokens.map((t) => {
        const { id, ...rest } = addedTokenEntry(t);
        return [String(id), rest];
      }),
    ),
    additional_special_tokens: specials.map((t) => t.content),
    bos_token: eot,
    clean_up_tokenization_spaces: true,
    eos_token: eot,
    errors: 'replace',
    model_max_length: 1024,
    pad_token: eot,
    processor_class: 'WhisperProcessor',
    return_attention_mask: false,
    tokenizer_class: 'WhisperTokenizer',
    unk_token: eot,
  };

  return { layout, bpe, tokenizerJson, tokenizerConfigJson };
}
