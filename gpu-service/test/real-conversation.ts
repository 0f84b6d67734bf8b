/**
 * Conversations and single-speaker files built from real read-speech clips (see real-speech.ts), with
 * exactly known turns: who speaks is known by construction, where speech starts and ends inside each
 * clip comes from Silero VAD run on the clip alone (LibriSpeech clips carry leading and trailing
 * silence, and pauses between phrases that are not anybody's speech).
 */
import type { SpeakerTurn } from '@whisper-edge/shared';
import type { SileroVadModel } from '../src/vad/silero-model.js';
import { detectSpeech } from '../src/vad/silero-vad.js';
import { readAudio, type SpeakerClip } from './real-speech.js';
import { lowNoise } from './speech-fixture.js';
import { seededRandom } from './synthetic-conversation.js';

const SAMPLE_RATE = 16_000;
/** Each turn keeps this much of its clip's own background either side of its speech. */
const MARGIN = Math.round(0.1 * SAMPLE_RATE);

/** A clip and its phrases (speech spans, samples), pauses of 0.3 s or more between them. */
export interface PhrasedClip {
  speaker: string;
  pcm: Float32Array;
  phrases: Array<{ start: number; end: number }>;
}

export async function phraseClip(clip: SpeakerClip, vad: SileroVadModel): Promise<PhrasedClip> {
  const pcm = readAudio(clip.file);
  // No padding: the reference is the speech itself; the diarizer's own VAD pads as it likes.
  const phrases = await detectSpeech(
    pcm,
    { minSilenceDurationMs: 300, speechPadMs: 0, minSpeechDurationMs: 100 },
    vad,
  );
  return { speaker: clip.speaker, pcm, phrases };
}

/** A span of one clip to be played as a turn: its audio bounds and the phrases inside. */
interface TurnCut {
  clip: PhrasedClip;
  from: number;
  to: number;
  phrases: Array<{ start: number; end: number }>;
}

/** Consecutive phrases of one clip grouped into turns of `min`–`max` seconds (a shorter clip is one turn). */
function cutTurns(clip: PhrasedClip, random: () => number, min: number, max: number): TurnCut[] {
  const turns: TurnCut[] = [];
  let group: Array<{ start: number; end: number }> = [];
  let target = (min + random() * (max - min)) * SAMPLE_RATE;
  for (const phrase of clip.phrases) {
    group.push(phrase);
    if (phrase.end - group[0]!.start >= target) {
      turns.push({ clip, from: group[0]!.start, to: phrase.end, phrases: group });
      group = [];
      target = (min + random() * (max - min)) * SAMPLE_RATE;
    }
  }
  // A short remainder joins the previous turn of the same clip rather than standing as a blip.
  if (group.length > 0) {
    const last = turns.at(-1);
    if (last && (group.at(-1)!.end - group[0]!.start) / SAMPLE_RATE < min) {
      last.to = group.at(-1)!.end;
      last.phrases.push(...group);
    } else turns.push({ clip, from: group[0]!.start, to: group.at(-1)!.end, phrases: group });
  }
  return turns;
}

export interface RealConversation {
  pcm: Float32Array;
  /** One turn per phrase, named by speaker. */
  reference: SpeakerTurn[];
  speakers: string[];
}

/** Plays turns one after another with pauses of `gap` seconds of low noise between them. */
function assemble(
  turns: TurnCut[],
  random: () => number,
  gap: [number, number],
  seed: number,
): RealConversation {
  const lead = Math.round(0.5 * SAMPLE_RATE);
  const pauses = turns.map(() => Math.round((gap[0] + random() * (gap[1] - gap[0])) * SAMPLE_RATE));
  const length = turns.reduce((n, t, i) => n + t.to - t.from + 2 * MARGIN + pauses[i]!, 2 * lead);
  const pcm = lowNoise(length, 0.001, seed);
  const reference: SpeakerTurn[] = [];
  let at = lead;
  for (const [i, turn] of turns.entries()) {
    const from = Math.max(0, turn.from - MARGIN);
    const to = Math.min(turn.clip.pcm.length, turn.to + MARGIN);
    pcm.set(turn.clip.pcm.subarray(from, to), at);
    for (const phrase of turn.phrases) {
      reference.push({
        start: (at + phrase.start - from) / SAMPLE_RATE,
        end: (at + phrase.end - from) / SAMPLE_RATE,
        speaker: turn.clip.speaker,
      });
    }
    at += to - from + pauses[i]!;
  }
  const speakers = [...new Set(turns.map((t) => t.clip.speaker))];
  return { pcm: pcm.subarray(0, at + lead), reference, speakers };
}

/**
 * A conversation of the given speakers' clips cut into turns of 1.5–6 s, interleaved at random and
 * never the same speaker twice running while another still has turns; every turn is used once.
 */
export function buildConversation(
  clips: readonly PhrasedClip[],
  seed: number,
  gap: [number, number] = [0.3, 1.2],
): RealConversation {
  const random = seededRandom(seed);
  const queues = new Map<string, TurnCut[]>();
  for (const clip of clips) {
    queues.set(clip.speaker, [...(queues.get(clip.speaker) ?? []), ...cutTurns(clip, random, 1.5, 6)]);
  }
  const order: TurnCut[] = [];
  let previous = '';
  for (;;) {
    const open = [...queues.entries()].filter(([, q]) => q.length > 0);
    if (open.length === 0) break;
    const choices = open.length > 1 ? open.filter(([s]) => s !== previous) : open;
    const [speaker, queue] = choices[Math.floor(random() * choices.length)]!;
    order.push(queue.shift()!);
    previous = speaker;
  }
  return assemble(order, random, gap, seed);
}

/**
 * One speaker's clips joined with pauses, played round again (each pass at another level, 0.5–1.5×)
 * until at least `minSeconds` long: a long recording of one voice, which must stay one speaker.
 */
export function joinOneSpeaker(
  clips: readonly PhrasedClip[],
  seed: number,
  minSeconds = 0,
): RealConversation {
  const random = seededRandom(seed);
  const turns: TurnCut[] = [];
  let seconds = 0;
  const spoken = clips.filter((c) => c.phrases.length > 0);
  if (spoken.length === 0) throw new Error('no speech in these clips');
  do {
    const gain = 0.5 + random();
    for (const clip of spoken) {
      const scaled = { ...clip, pcm: clip.pcm.map((v) => v * gain) };
      turns.push({
        clip: scaled,
        from: clip.phrases[0]!.start,
        to: clip.phrases.at(-1)!.end,
        phrases: clip.phrases,
      });
      seconds += clip.pcm.length / SAMPLE_RATE;
    }
  } while (seconds < minSeconds);
  return assemble(turns, random, [0.3, 1.2], seed);
}
