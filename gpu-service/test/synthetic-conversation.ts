import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SpeakerTurn } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../src/audio/sample-rate.js';
import { mulberry32 } from '../src/whisper/seeded-random.js';
import { lowNoise, voicedExtent } from './speech-fixture.js';

/** An espeak-ng voice: a language voice with a variant, pitch (0–99) and speed (words per minute). */
export interface SyntheticVoice {
  voice: string;
  pitch: number;
  speed: number;
}

/**
 * Clearly different voices: three male and three female espeak variants whose median pitch (measured:
 * ~74, ~99, ~144, ~182, ~254, ~302 Hz) and accent differ, as different people's would.
 */
export const SYNTHETIC_VOICES: readonly SyntheticVoice[] = [
  { voice: 'en-us+m3', pitch: 40, speed: 165 },
  { voice: 'en+f3', pitch: 70, speed: 175 },
  { voice: 'en-gb+m7', pitch: 5, speed: 150 },
  { voice: 'en+f5', pitch: 85, speed: 185 },
  { voice: 'en-us+m1', pitch: 90, speed: 140 },
  { voice: 'en+f1', pitch: 50, speed: 160 },
];

const SENTENCES = [
  'Yes.',
  'I think so.',
  'Good morning everyone.',
  'Could you say that again please?',
  'That is a very good point.',
  'We should ship the release on Friday.',
  'The numbers from last quarter look much better than expected.',
  'I am not sure the storage bucket is configured correctly yet.',
  'Let me check the logs and get back to you in a few minutes.',
  'Honestly, the deployment went smoothly and nobody noticed the switch.',
  'Right.',
  'Absolutely, go ahead.',
  'What time is the meeting tomorrow?',
  'The weather has been terrible all week, hasn’t it?',
  'I will send the summary to the whole team after lunch today.',
  'Our customers in Europe asked for transcripts with speaker names.',
  'No problem at all.',
  'Can we move on to the next item on the agenda?',
  'The model runs on a single graphics card with room to spare.',
  'Thanks, that helps a lot.',
];

/** A reproducible pseudo-random sequence: the engine's own mulberry32. */
export const seededRandom = mulberry32;

export interface ConversationSpec {
  seed: number;
  speakers: number;
  turns: number;
  /** Indexes into SYNTHETIC_VOICES; by default chosen by the seed. */
  voices?: number[];
  /** Pause between turns, seconds. */
  gap?: [number, number];
}

export interface SyntheticConversation {
  pcm: Float32Array;
  /** Ground truth: the audible extent of each turn, speakers named by voice. */
  reference: SpeakerTurn[];
  voices: SyntheticVoice[];
}

function speak(voice: SyntheticVoice, text: string, dir: string): Float32Array {
  const wav = path.join(dir, 'turn.wav');
  const raw = path.join(dir, 'turn.f32');
  execFileSync('espeak-ng', [
    '-v',
    voice.voice,
    '-p',
    String(voice.pitch),
    '-s',
    String(voice.speed),
    '-w',
    wav,
    text,
  ]);
  execFileSync('ffmpeg', [
    '-y',
    '-loglevel',
    'error',
    '-i',
    wav,
    '-ac',
    '1',
    '-ar',
    String(SAMPLE_RATE),
    '-f',
    'f32le',
    raw,
  ]);
  const bytes = readFileSync(raw);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/**
 * A conversation of espeak-ng turns (1–6 s each) by `speakers` different voices, never the same voice
 * twice in a row, separated by pauses, over low noise. The same spec always gives the same audio.
 */
export function synthesizeConversation(spec: ConversationSpec): SyntheticConversation {
  const random = seededRandom(spec.seed);
  const pool = SYNTHETIC_VOICES.map((_, i) => i);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const voices = (spec.voices ?? pool.slice(0, spec.speakers)).map((i) => SYNTHETIC_VOICES[i]!);
  const [gapMin, gapMax] = spec.gap ?? [0.3, 1.2];
  const dir = mkdtempSync(path.join(tmpdir(), 'conversation-'));
  try {
    const clips: Array<{ speaker: number; clip: Float32Array; voiced: { start: number; end: number } }> = [];
    let previous = -1;
    for (let t = 0; t < spec.turns; t++) {
      // Every voice speaks at least once: the first turns go round the table.
      let speaker = t < voices.length ? t : Math.floor(random() * voices.length);
      if (speaker === previous) speaker = (speaker + 1) % voices.length;
      previous = speaker;
      let clip: Float32Array;
      let voiced: { start: number; end: number };
      // Draw sentences until one lasts 1–6 s in this voice.
      do {
        clip = speak(voices[speaker]!, SENTENCES[Math.floor(random() * SENTENCES.length)]!, dir);
        voiced = voicedExtent(clip);
      } while (
        (voiced.end - voiced.start) / SAMPLE_RATE < 1 ||
        (voiced.end - voiced.start) / SAMPLE_RATE > 6
      );
      clips.push({ speaker, clip: clip.slice(voiced.start, voiced.end), voiced });
    }
    const lead = 0.5;
    const gaps = clips.map(() => gapMin + random() * (gapMax - gapMin));
    const total = clips.reduce((n, c, i) => n + c.clip.length + Math.round(gaps[i]! * SAMPLE_RATE), 0);
    const pcm = lowNoise(total + Math.round(2 * lead * SAMPLE_RATE), 0.001, spec.seed);
    const reference: SpeakerTurn[] = [];
    let at = Math.round(lead * SAMPLE_RATE);
    for (const [i, { speaker, clip }] of clips.entries()) {
      for (let s = 0; s < clip.length; s++) pcm[at + s] = pcm[at + s]! + clip[s]!;
      reference.push({
        start: at / SAMPLE_RATE,
        end: (at + clip.length) / SAMPLE_RATE,
        speaker: `voice_${speaker}`,
      });
      at += clip.length + Math.round(gaps[i]! * SAMPLE_RATE);
    }
    return { pcm, reference, voices };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Encodes a conversation with ffmpeg into a fresh temp dir as `fileName` (its extension picks the format). */
export function encodeConversation(conversation: SyntheticConversation, fileName: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'conversation-'));
  const raw = path.join(dir, 'pcm.f32');
  writeFileSync(
    raw,
    new Uint8Array(conversation.pcm.buffer, conversation.pcm.byteOffset, conversation.pcm.byteLength),
  );
  const out = path.join(dir, fileName);
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'f32le',
    '-ar',
    String(SAMPLE_RATE),
    '-ac',
    '1',
    '-i',
    raw,
    out,
  ]);
  rmSync(raw);
  return out;
}
