/**
 * Words from timed tokens, as Transformers.js's Whisper tokenizer builds them for
 * `return_timestamps: 'word'` (`_decode_asr` → `collateWordTimestamps`): tokens are split into
 * segments at timestamp tokens, grouped into words at spaces (or at whole characters for languages
 * written without spaces), and punctuation is attached to its neighbouring word.
 */

export interface TimedWord {
  /** The word as decoded, with its leading space. */
  word: string;
  start: number;
  end: number;
  /** Mean of its tokens' probabilities, when they were given. */
  probability?: number;
}

export interface WordGroupingVocab {
  eot: number;
  timestampBegin: number;
}

export interface WordGroupingOptions {
  decode: (tokens: number[]) => string;
  /** Split at every whole character rather than at spaces (Chinese, Japanese, Thai, Lao, Burmese). */
  splitOnCharacters?: boolean;
}

interface Group {
  text: string;
  /** Positions in the segment's token list. */
  indices: number[];
}

const SECONDS_PER_TIMESTAMP = 0.02;
// Not global: a /g regex's `test` keeps state between calls (Transformers.js has that bug; we do not).
const PUNCTUATION_ONLY = /^[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]+$/u;
const PREPENDED = '"\'“¡¿([{-';
const APPENDED = '"\'.。,，!！?？:：”)]}、';
const REPLACEMENT = '\uFFFD';

const round2 = (seconds: number) => Math.round(seconds * 100) / 100;

/** Languages Whisper writes without spaces between words. */
export function writesWithoutSpaces(language: string | undefined): boolean {
  return ['zh', 'ja', 'th', 'lo', 'my', 'yue'].includes(language ?? '');
}

/** Cuts wherever the tokens so far decode to whole characters (a token can hold half a character). */
function splitOnCharacters(tokens: number[], decode: WordGroupingOptions['decode']): Group[] {
  const full = decode(tokens);
  const groups: Group[] = [];
  let pending: number[] = [];
  let indices: number[] = [];
  let offset = 0;
  for (const [i, token] of tokens.entries()) {
    pending.push(token);
    indices.push(i);
    const text = decode(pending);
    const broken = text.indexOf(REPLACEMENT);
    // A replacement character that is also in the full text is real, not half a character.
    if (broken < 0 || full[offset + broken] === REPLACEMENT) {
      groups.push({ text, indices });
      offset += text.length;
      pending = [];
      indices = [];
    }
  }
  return groups;
}

function splitOnSpaces(tokens: number[], decode: WordGroupingOptions['decode']): Group[] {
  const words: Group[] = [];
  for (const piece of splitOnCharacters(tokens, decode)) {
    const previous = words.at(-1);
    if (!previous || piece.text.startsWith(' ') || PUNCTUATION_ONLY.test(piece.text.trim())) {
      words.push(piece);
    } else {
      previous.text += piece.text;
      previous.indices.push(...piece.indices);
    }
  }
  return words;
}

/** Opening punctuation joins the word after it, closing punctuation the word before it. */
function mergePunctuation(words: Group[]): Group[] {
  const merged = words.map((w) => ({ text: w.text, indices: [...w.indices] }));
  // String `includes` on purpose, as upstream: an empty or space-only word counts as punctuation too.
  for (let i = merged.length - 2, j = merged.length - 1; i >= 0; i--) {
    const word = merged[i]!;
    if (word.text.startsWith(' ') && PREPENDED.includes(word.text.trim())) {
      merged[j] = { text: word.text + merged[j]!.text, indices: [...word.indices, ...merged[j]!.indices] };
      merged[i] = { text: '', indices: [] };
    } else {
      j = i;
    }
  }
  for (let i = 0, j = 1; j < merged.length; j++) {
    const word = merged[j]!;
    if (!merged[i]!.text.endsWith(' ') && APPENDED.includes(word.text)) {
      merged[i] = { text: merged[i]!.text + word.text, indices: [...merged[i]!.indices, ...word.indices] };
      merged[j] = { text: '', indices: [] };
    } else {
      i = j;
    }
  }
  return merged.filter((w) => w.text !== '' && w.indices.length > 0);
}

const round4 = (p: number) => Math.round(p * 10_000) / 10_000;

function segmentWords(
  tokens: number[],
  spans: Array<[number, number]>,
  probabilities: number[] | undefined,
  options: WordGroupingOptions,
): TimedWord[] {
  const split = options.splitOnCharacters ? splitOnCharacters : splitOnSpaces;
  return mergePunctuation(split(tokens, options.decode)).map((w) => ({
    word: w.text,
    start: spans[w.indices[0]!]![0],
    end: spans[w.indices.at(-1)!]![1],
    ...(probabilities
      ? { probability: round4(w.indices.reduce((sum, i) => sum + probabilities[i]!, 0) / w.indices.length) }
      : {}),
  }));
}

/**
 * Groups a window's generated tokens (timestamp tokens included) into timed words. `times[i]` is the
 * aligned start of `tokens[i]`; a token ends where the next one starts, except that punctuation gets
 * no more than one timestamp step, so a pause after it is not counted as part of the word.
 */
export function groupWords(
  tokens: readonly number[],
  times: readonly number[],
  vocab: WordGroupingVocab,
  options: WordGroupingOptions,
  /** Each token's probability as decoded, aligned with `tokens`: words then carry their mean. */
  tokenProbabilities?: readonly number[],
): TimedWord[] {
  const words: TimedWord[] = [];
  let segmentStart: number | undefined;
  let text: number[] = [];
  let spans: Array<[number, number]> = [];
  let probabilities: number[] | undefined = tokenProbabilities ? [] : undefined;
  for (const [i, token] of tokens.entries()) {
    if (token >= vocab.timestampBegin) {
      const time = round2((token - vocab.timestampBegin) * SECONDS_PER_TIMESTAMP);
      if (segmentStart === undefined) {
        segmentStart = time;
      } else if (time !== segmentStart) {
        // The segment's end also caps its words' ends, unless that would turn a word inside out.
        const end = time;
        for (const word of segmentWords(text, spans, probabilities, options)) {
          words.push(word.end > end && end >= word.start ? { ...word, end } : word);
        }
        segmentStart = undefined;
        text = [];
        spans = [];
        if (probabilities) probabilities = [];
      }
      // A repeated timestamp is a model slip: it keeps the segment open rather than closing it.
    } else if (token < vocab.eot) {
      const start = round2(times[i]!);
      let end = round2(times[i + 1] ?? times[i]!);
      if (PUNCTUATION_ONLY.test(options.decode([token])))
        end = round2(Math.min(start + SECONDS_PER_TIMESTAMP, end));
      text.push(token);
      spans.push([start, end]);
      probabilities?.push(tokenProbabilities![i]!);
    }
  }
  // A last segment the model left open keeps its words as aligned.
  if (text.length > 0) words.push(...segmentWords(text, spans, probabilities, options));
  return words;
}
