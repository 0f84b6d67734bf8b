/**
 * Real recordings with known speakers from `../shared/real-speech/` (beside the repository; see its
 * README): development material only. Nothing here is copied into the project, and everything that
 * uses it must skip when `realSpeechDir()` answers undefined.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpeakerTurn } from '@whisper-edge/shared';

const SAMPLE_RATE = 16_000;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Said by every test and benchmark that skips for want of the recordings. */
export const REAL_SPEECH_MISSING =
  'skipped: ../shared/real-speech (real recordings beside the repository) is absent';

/** `../shared/real-speech` relative to the repository root, when it is there. */
export function realSpeechDir(): string | undefined {
  const dir = path.resolve(repoRoot, '../shared/real-speech');
  return existsSync(path.join(dir, 'single')) ? dir : undefined;
}

/** `../shared/whisper-assets/jfk.flac` (one man, 11 s), when it is there. */
export function jfkPath(): string | undefined {
  const file = path.resolve(repoRoot, '../shared/whisper-assets/jfk.flac');
  return existsSync(file) ? file : undefined;
}

/** Any audio file ffmpeg reads, as 16 kHz mono float PCM. */
export function readAudio(file: string): Float32Array {
  const bytes = execFileSync(
    'ffmpeg',
    ['-loglevel', 'error', '-i', file, '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 'f32le', '-'],
    { maxBuffer: 1 << 30 },
  );
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** One `single/` clip: `<speaker>__<origin>__<n>.flac`. */
export interface SpeakerClip {
  speaker: string;
  file: string;
}

export function singleClips(dir: string): SpeakerClip[] {
  return readdirSync(path.join(dir, 'single'))
    .filter((name) => name.endsWith('.flac'))
    .sort()
    .map((name) => ({ speaker: name.split('__')[0]!, file: path.join(dir, 'single', name) }));
}

/** Clips grouped by speaker, speakers in numeric order of their LibriSpeech id. */
export function clipsBySpeaker(clips: readonly SpeakerClip[]): Map<string, SpeakerClip[]> {
  const out = new Map<string, SpeakerClip[]>();
  const id = (speaker: string) => Number(speaker.replace(/\D/g, ''));
  for (const clip of [...clips].sort((a, b) => id(a.speaker) - id(b.speaker) || (a.file < b.file ? -1 : 1))) {
    out.set(clip.speaker, [...(out.get(clip.speaker) ?? []), clip]);
  }
  return out;
}

/**
 * Development and held-out speakers: alternate speakers in id order, separately among those with
 * several clips (so both halves get some) and those with one. Settings are chosen on `development`
 * only; `heldOut` checks them.
 */
export function splitSpeakers(bySpeaker: ReadonlyMap<string, SpeakerClip[]>): {
  development: string[];
  heldOut: string[];
} {
  const development: string[] = [];
  const heldOut: string[] = [];
  for (const group of [
    [...bySpeaker.keys()].filter((s) => bySpeaker.get(s)!.length > 1),
    [...bySpeaker.keys()].filter((s) => bySpeaker.get(s)!.length === 1),
  ]) {
    for (const [i, speaker] of group.entries()) (i % 2 === 0 ? development : heldOut).push(speaker);
  }
  return { development, heldOut };
}

/** An AMI-style meeting clip and its reference turns (overlaps kept). */
export interface ReferencedRecording {
  name: string;
  file: string;
  reference: SpeakerTurn[];
}

export function parseRttm(text: string): SpeakerTurn[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[0] === 'SPEAKER')
    .map((fields) => {
      const start = Number(fields[3]);
      return { start, end: start + Number(fields[4]), speaker: fields[7]! };
    });
}

export function meetingClips(dir: string): ReferencedRecording[] {
  return readdirSync(path.join(dir, 'multi'))
    .filter((name) => name.endsWith('.flac'))
    .sort()
    .map((name) => {
      const file = path.join(dir, 'multi', name);
      const reference = parseRttm(readFileSync(file.replace(/\.flac$/, '.rttm'), 'utf8'));
      return { name: name.replace(/\.flac$/, ''), file, reference };
    });
}
