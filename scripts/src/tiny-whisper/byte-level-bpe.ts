/**
 * The project's own byte-level BPE (the regular tokens; Whisper's special tokens are added by
 * tokenizer.ts).
 *
 * Real Whisper vocabularies cannot be downloaded here, and only the id layout
 * (vocab size, special/timestamp ids) matters for exercising the runtime, so the
 * regular tokens are learned from the small English text below and then padded
 * with synthetic merges up to exactly Whisper's regular-vocabulary size.
 * Everything is deterministic and independent of the model seed, so token ids
 * are stable across generated models.
 */
/**
 * Written for this project. It deliberately repeats " -", " '", "♪" and quotes so
 * the tokens Whisper's non-speech suppression looks for exist as real merges.
 */
const TRAINING_TEXT = `
The morning train left the station a little after seven, and the town slowly woke up behind it.
Bakers opened their doors, the smell of warm bread drifted along the river, and the first buses
rolled across the old stone bridge. Nobody was in a hurry yet - the day was still cool and quiet.

She said, 'We should record the meeting,' and he agreed that it was a good idea. The recording
would help the people who could not attend, and it would let everyone check what had been said.
They placed the microphone in the middle of the table, pressed the button, and started to talk
about the plans for the summer, the budget for the new library, and the repairs to the school.

Speech recognition turns sound into text. A model listens to short pieces of audio - thirty
seconds at a time - and writes down the words it hears, one token after another. It can also
mark when each sentence starts and ends, which is useful for subtitles, search and translation.
When the audio is noisy, the model may guess; when there is music, it may simply write ♪ or ♪♪.

"Can you hear me?" asked the teacher. "Yes, we can hear you," answered the students, "but the
sound is a little quiet." The teacher turned the volume up, smiled, and started the lesson again.
They talked about numbers - one, two, three, 2024, 100 and 3.5 - and about the weather, which
had been cold and windy all week. ♪ la la la ♪ sang someone at the back of the room, and everyone
laughed. 'That is enough music for today,' the teacher said, 'let us get back to work.'
Captions for songs often show ♪ ♫ ♬ ♩ ♭ ♮ ♯ - a ♪ for a melody, a ♫ for a chorus, and a ♬ for
a long passage. The ♩ and ♭ marks are rare, but ♪ ♫ ♬ appear in almost every music video.

In the evening the town grew quiet again. The last train came home, the lights in the windows
went out one by one, and the river kept on running under the bridge, as it always had - and as
it always will. Tomorrow there will be another morning, another train, and another story to tell.
`;

/**
 * GPT-2's reversible byte → printable-character map, in GPT-2's order. The order
 * gives the 256 byte tokens their ids, so e.g. the space byte ("Ġ") is id 220 as in
 * Whisper, which `begin_suppress_tokens` relies on.
 */
export function byteToUnicodeOrder(): { byte: number; char: string }[] {
  const printable: number[] = [];
  const add = (from: number, to: number) => {
    for (let b = from; b <= to; b++) printable.push(b);
  };
  add(0x21, 0x7e);
  add(0xa1, 0xac);
  add(0xae, 0xff);
  const order = printable.map((byte) => ({ byte, char: String.fromCharCode(byte) }));
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) order.push({ byte: b, char: String.fromCharCode(256 + n++) });
  }
  return order;
}

const BYTE_ORDER = byteToUnicodeOrder();
const BYTE_TO_CHAR: readonly string[] = (() => {
  const table = new Array<string>(256);
  for (const { byte, char } of BYTE_ORDER) table[byte] = char;
  return table;
})();

/** GPT-2's pre-tokenization pattern, identical to the ByteLevel pre-tokenizer in tokenizer.json. */
const PRE_TOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
const utf8 = new TextEncoder();

function preTokenize(text: string): string[] {
  return (text.match(PRE_TOKENIZE) ?? []).map((piece) =>
    Array.from(utf8.encode(piece), (b) => BYTE_TO_CHAR[b]!).join(''),
  );
}

/** Plain BPE training: repeatedly merge the most frequent adjacent pair (ties broken lexically). */
function learnMerges(text: string, maxMerges: number): [string, string][] {
  const wordCounts = new Map<string, number>();
  for (const w of preTokenize(text)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const words = [...wordCounts].map(([w, count]) => ({ symbols: Array.from(w), count }));
  const merges: [string, string][] = [];

  while (merges.length < maxMerges) {
    const pairCounts = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
      }
    }
    let best: string | null = null;
    let bestCount = 1; // a pair seen once is noise, not structure
    for (const [key, count] of pairCounts) {
      if (count > bestCount || (count === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    if (best === null) break;
    const [a, b] = best.split(' ') as [string, string];
    merges.push([a, b]);
    for (const word of words) {
      const s = word.symbols;
      const merged: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          merged.push(a + b);
          i++;
        } else {
          merged.push(s[i]!);
        }
      }
      word.symbols = merged;
    }
  }
  return merges;
}

/**
 * Pads the vocabulary with merges of existing word-like tokens and a lowercase
 * letter, visiting tokens in creation order. Every merge is valid (both parts
 * exist, the result is new) and could be reached by some English-looking word.
 */
function fillSyntheticMerges(tokens: string[], merges: [string, string][], targetSize: number): void {
  const known = new Set(tokens);
  const letters = 'etaoinsrhldcumfpgwybvkxjqz'.split('');
  const wordLike = /^Ġ?[A-Za-z]+$/;
  for (let cursor = 0; tokens.length < targetSize; cursor++) {
    if (cursor >= tokens.length) throw new Error('ran out of synthetic merge candidates');
    const left = tokens[cursor]!;
    if (!wordLike.test(left)) continue;
    for (const right of letters) {
      if (tokens.length >= targetSize) break;
      const merged = left + right;
      if (known.has(merged)) continue;
      known.add(merged);
      tokens.push(merged);
      merges.push([left, right]);
    }
  }
}

export class ByteLevelBpe {
  readonly tokenToId: ReadonlyMap<string, number>;
  private readonly ranks: ReadonlyMap<string, number>;

  constructor(
    /** id → token string (byte-level alphabet). */
    readonly tokens: readonly string[],
    readonly merges: readonly (readonly [string, string])[],
  ) {
    this.tokenToId = new Map(tokens.map((t, i) => [t, i]));
    this.ranks = new Map(merges.map(([a, b], i) => [`${a} ${b}`, i]));
  }

  /** Encodes text without special tokens (used to derive Whisper's suppress lists). */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of preTokenize(text)) {
      for (const token of this.bpe(piece)) {
        const id = this.tokenToId.get(token);
        if (id === undefined) throw new Error(`BPE produced unknown token ${token}`);
        ids.push(id);
      }
    }
    return ids;
  }

  private bpe(piece: string): string[] {
    let symbols = Array.from(piece);
    for (;;) {
      let bestRank = Number.POSITIVE_INFINITY;
      let bestPair: [string, string] | null = null;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          bestPair = [symbols[i]!, symbols[i + 1]!];
        }
      }
      if (!bestPair) return symbols;
      const [a, b] = bestPair;
      const next: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          next.push(a + b);
          i++;
        } else {
          next.push(symbols[i]!);
        }
      }
      symbols = next;
    }
  }
}

const bpeCache = new Map<number, ByteLevelBpe>();

/** Builds (once per size) the regular vocabulary; the 50256-token one is a prefix of the 50257 one. */
export function buildByteLevelBpe(regularVocabSize: number): ByteLevelBpe {
  const cached = bpeCache.get(regularVocabSize);
  if (cached) return cached;
  const tokens = BYTE_ORDER.map((e) => e.char);
  const merges = learnMerges(TRAINING_TEXT, 4000);
  for (const [a, b] of merges) tokens.push(a + b);
  if (tokens.length > regularVocabSize) throw new Error('training text produced too many merges');
  fillSyntheticMerges(tokens, merges, regularVocabSize);
  const bpe = new ByteLevelBpe(tokens, merges);
  bpeCache.set(regularVocabSize, bpe);
  return bpe;
}

/**
 * openai/whisper `Tokenizer.non_speech_tokens`, computed against this vocabulary:
 * symbols that are a single token (alone or after a space), the first token of the
 * musical symbols, plus " -" and " '" which must only be allowed between words.
 */
export function nonSpeechTokens(bpe: ByteLevelBpe): number[] {
  const symbols = [...'"#()*+/:;<=>@[\\]^_`{|}~「」『』'];
  symbols.push(...`<< >> <<< >>> -- --- -( -[ (' (" (( )) ((( ))) [[ ]] {{ }} ♪♪ ♪♪♪`.split(' '));
  const miscellaneous = new Set('♩♪♫♬♭♮♯');
  const first = (text: string): number => {
    const ids = bpe.encode(text);
    if (ids.length !== 1) throw new Error(`expected ${JSON.stringify(text)} to be a single token`);
    return ids[0]!;
  };
  const result = new Set<number>([first(' -'), first(" '")]);
  const space = first(' ');
  for (const symbol of [...symbols, ...miscellaneous]) {
    for (const ids of [bpe.encode(symbol), bpe.encode(` ${symbol}`)]) {
      if (ids.length === 1 || miscellaneous.has(symbol)) result.add(ids[0]!);
    }
  }
  // Suppressing the bare space would make the model unable to start words.
  if (result.has(space)) throw new Error('training text lacks merges for " ♪"-style symbols');
  return [...result].sort((a, b) => a - b);
}
