/**
 * The real-speech evaluation sets (from `../shared/real-speech`, see its README), split by speaker into
 * development and held-out halves: conversations of 2–4 LibriSpeech speakers, single-speaker files
 * (every clip alone, each multi-clip speaker's clips joined, one speaker played round to 3 minutes),
 * and the AMI meeting clips with their reference RTTM.
 */
import {
  buildConversation,
  joinOneSpeaker,
  type PhrasedClip,
  phraseClip,
} from '@whisper-edge/gpu-service/testing/real-conversation';
import {
  clipsBySpeaker,
  jfkPath,
  meetingClips,
  readAudio,
  singleClips,
  splitSpeakers,
} from '@whisper-edge/gpu-service/testing/real-speech';
import { seededRandom } from '@whisper-edge/gpu-service/testing/synthetic-conversation';
import { loadSileroVad } from '@whisper-edge/gpu-service/vad/silero-model';
import type { SpeakerTurn } from '@whisper-edge/shared';

export interface ScoredFile {
  name: string;
  pcm: Float32Array;
  reference: SpeakerTurn[];
  speakers: number;
}

export interface SpeakerHalf {
  speakers: string[];
  conversations: ScoredFile[];
  single: ScoredFile[];
  /** The four-speaker conversations played one after another: many voices, minutes long. */
  joined: ScoredFile;
}

export interface RealSets {
  development: SpeakerHalf;
  heldOut: SpeakerHalf;
  meetings: ScoredFile[];
}

/** Up to this much of each speaker's clips goes into a conversation, so no voice drowns the others. */
const SECONDS_PER_SPEAKER = 12;
const CONVERSATIONS_PER_HALF = 12;
const LONG_SECONDS = 180;

function half(
  speakers: string[],
  phrased: Map<string, PhrasedClip[]>,
  seedBase: number,
  jfk?: ScoredFile,
): SpeakerHalf {
  const random = seededRandom(seedBase);
  const conversations: ScoredFile[] = [];
  for (let i = 0; i < CONVERSATIONS_PER_HALF; i++) {
    const count = 2 + (i % 3);
    const pool = [...speakers];
    for (let j = pool.length - 1; j > 0; j--) {
      const k = Math.floor(random() * (j + 1));
      [pool[j], pool[k]] = [pool[k]!, pool[j]!];
    }
    const clips = pool.slice(0, count).flatMap((speaker) => {
      const own: PhrasedClip[] = [];
      let seconds = 0;
      for (const clip of phrased.get(speaker)!) {
        if (seconds >= SECONDS_PER_SPEAKER) break;
        own.push(clip);
        seconds += clip.pcm.length / 16_000;
      }
      return own;
    });
    const built = buildConversation(clips, seedBase + i);
    conversations.push({ name: `conv-${seedBase + i}`, ...built, speakers: count });
  }
  const single: ScoredFile[] = [];
  if (jfk) single.push(jfk);
  for (const speaker of speakers) {
    for (const [n, clip] of phrased.get(speaker)!.entries()) {
      if (clip.phrases.length === 0) continue;
      single.push({ name: `${speaker}#${n}`, ...joinOneSpeaker([clip], seedBase), speakers: 1 });
    }
  }
  const several = speakers.filter((s) => phrased.get(s)!.length > 1);
  for (const speaker of several) {
    single.push({
      name: `${speaker} joined`,
      ...joinOneSpeaker(phrased.get(speaker)!, seedBase),
      speakers: 1,
    });
  }
  if (several[0]) {
    const long = joinOneSpeaker(phrased.get(several[0])!, seedBase, LONG_SECONDS);
    single.push({ name: `${several[0]} ${LONG_SECONDS} s`, ...long, speakers: 1 });
  }
  return { speakers, conversations, single, joined: join(conversations.filter((c) => c.speakers === 4)) };
}

function join(files: readonly ScoredFile[]): ScoredFile {
  const pcm = new Float32Array(files.reduce((n, f) => n + f.pcm.length, 0));
  const reference: SpeakerTurn[] = [];
  let at = 0;
  for (const f of files) {
    pcm.set(f.pcm, at);
    const offset = at / 16_000;
    for (const t of f.reference) reference.push({ ...t, start: t.start + offset, end: t.end + offset });
    at += f.pcm.length;
  }
  const speakers = new Set(reference.map((t) => t.speaker)).size;
  return { name: `${files.length} joined`, pcm, reference, speakers };
}

export async function loadRealSets(dir: string): Promise<RealSets> {
  const vad = await loadSileroVad();
  const bySpeaker = clipsBySpeaker(singleClips(dir));
  const phrased = new Map<string, PhrasedClip[]>();
  for (const [speaker, clips] of bySpeaker) {
    phrased.set(speaker, await Promise.all(clips.map((clip) => phraseClip(clip, vad))));
  }
  const { development, heldOut } = splitSpeakers(bySpeaker);
  const jfkFile = jfkPath();
  let jfk: ScoredFile | undefined;
  if (jfkFile) {
    const pcm = readAudio(jfkFile);
    // No reference turns needed: single-speaker files are scored by the count they come out as.
    jfk = { name: 'jfk.flac', pcm, reference: [], speakers: 1 };
  }
  const meetings = meetingClips(dir).map((m) => ({
    name: m.name,
    pcm: readAudio(m.file),
    reference: m.reference,
    speakers: new Set(m.reference.map((t) => t.speaker)).size,
  }));
  return {
    development: half(development, phrased, 100, jfk),
    heldOut: half(heldOut, phrased, 200),
    meetings,
  };
}
