/**
 * `npm run bench diarization-real`: a diarization backend on real voices (`../shared/real-speech`,
 * skipped with a message when absent): LibriSpeech conversations and single-speaker files on the
 * development speakers and on held-out ones, and the AMI meeting clips against their RTTM. DER with a
 * 0.25 s collar and with none, missed speech / false alarm / confusion apart, and speaker counts.
 */

import { randomBytes } from 'node:crypto';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { loadConfig } from '@whisper-edge/gpu-service/config';
import { AcousticDiarizer } from '@whisper-edge/gpu-service/diarization/acoustic-diarizer';
import type { Diarizer } from '@whisper-edge/gpu-service/diarization/diarizer';
import { neuralFactory } from '@whisper-edge/gpu-service/diarization/neural-models';
import { type DerBreakdown, diarizationErrorRate } from '@whisper-edge/gpu-service/testing/der';
import { REAL_SPEECH_MISSING, realSpeechDir } from '@whisper-edge/gpu-service/testing/real-speech';
import { diarizationOptionsSchema, type SpeakerTurn } from '@whisper-edge/shared';
import { loadRealSets, type ScoredFile } from './real-speech-sets.js';

export type DiarizerFactory = () => Promise<Diarizer>;

export async function diarizeFile(
  pcm: Float32Array,
  create: DiarizerFactory,
): Promise<{ turns: SpeakerTurn[]; seconds: number }> {
  const started = performance.now();
  const diarizer = await create();
  // 1 s blocks, as ffmpeg feeds the service.
  for (let at = 0; at < pcm.length; at += SAMPLE_RATE)
    await diarizer.push(pcm.subarray(at, at + SAMPLE_RATE));
  const turns = await diarizer.finish();
  return { turns, seconds: (performance.now() - started) / 1000 };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const speakersIn = (turns: readonly SpeakerTurn[]) => new Set(turns.map((t) => t.speaker)).size;

export interface SetScore {
  files: number;
  /** Overall (time-weighted) and per-file mean DER at a 0.25 s collar, overall DER with none. */
  der: number;
  meanDer: number;
  derNoCollar: number;
  /** Shares of the scored speech (collar 0.25 s). */
  miss: number;
  falseAlarm: number;
  confusion: number;
  countExact: number;
  speed: number;
}

function sum(parts: DerBreakdown[]): DerBreakdown {
  const total = parts.reduce((n, p) => n + p.total, 0);
  const miss = parts.reduce((n, p) => n + p.miss, 0);
  const falseAlarm = parts.reduce((n, p) => n + p.falseAlarm, 0);
  const confusion = parts.reduce((n, p) => n + p.confusion, 0);
  return { total, miss, falseAlarm, confusion, der: (miss + falseAlarm + confusion) / total };
}

/** Scores files with reference turns; prints one row per file when `verbose`. */
export async function scoreTurns(
  files: readonly ScoredFile[],
  create: DiarizerFactory,
  verbose: boolean,
): Promise<SetScore> {
  const collared: DerBreakdown[] = [];
  const bare: DerBreakdown[] = [];
  let exact = 0;
  let audio = 0;
  let compute = 0;
  if (verbose) console.log('    file              spk found  audio s  DER c=.25  DER c=0   miss    FA  conf');
  for (const file of files) {
    const { turns, seconds } = await diarizeFile(file.pcm, create);
    const c = diarizationErrorRate(file.reference, turns, 0.25);
    const b = diarizationErrorRate(file.reference, turns, 0);
    collared.push(c);
    bare.push(b);
    const found = speakersIn(turns);
    if (found === file.speakers) exact++;
    audio += file.pcm.length / SAMPLE_RATE;
    compute += seconds;
    if (verbose) {
      console.log(
        `    ${file.name.padEnd(16)} ${String(file.speakers).padStart(4)} ${String(found).padStart(5)}  ${(file.pcm.length / SAMPLE_RATE).toFixed(1).padStart(7)}  ${pct(c.der).padStart(9)}  ${pct(b.der).padStart(8)}  ${c.miss.toFixed(1).padStart(5)} ${c.falseAlarm.toFixed(1).padStart(5)} ${c.confusion.toFixed(1).padStart(5)}`,
      );
    }
  }
  const c = sum(collared);
  return {
    files: files.length,
    der: c.der,
    meanDer: collared.reduce((n, p) => n + p.der, 0) / files.length,
    derNoCollar: sum(bare).der,
    miss: c.miss / c.total,
    falseAlarm: c.falseAlarm / c.total,
    confusion: c.confusion / c.total,
    countExact: exact / files.length,
    speed: audio / compute,
  };
}

export function printScore(label: string, s: SetScore): void {
  console.log(
    `  ${label}: DER ${pct(s.der)} (mean per file ${pct(s.meanDer)}), no collar ${pct(s.derNoCollar)}; miss ${pct(s.miss)}, false alarm ${pct(s.falseAlarm)}, confusion ${pct(s.confusion)}; count exact ${(s.countExact * s.files).toFixed(0)}/${s.files} (${pct(s.countExact)}); ${s.speed.toFixed(0)}x real time`,
  );
}

/** Single-speaker files: the share that comes out as exactly one speaker, and the worst splits. */
export async function scoreSingle(
  files: readonly ScoredFile[],
  create: DiarizerFactory,
): Promise<{ one: number; files: number; split: string[] }> {
  let one = 0;
  const split: string[] = [];
  for (const file of files) {
    const found = speakersIn((await diarizeFile(file.pcm, create)).turns);
    if (found === 1) one++;
    else split.push(`${file.name} → ${found}`);
  }
  return { one, files: files.length, split };
}

export async function realDiarizationBench(
  create: DiarizerFactory = () => AcousticDiarizer.create(),
  label = 'acoustic backend',
  verbose = process.argv.includes('--verbose'),
): Promise<void> {
  const dir = realSpeechDir();
  if (!dir) {
    console.log(`\n# diarization on real speech: ${REAL_SPEECH_MISSING}`);
    return;
  }
  console.log(`\n# diarization on real speech (${label}; collar 0.25 s unless said)`);
  const sets = await loadRealSets(dir);
  for (const [name, half] of [
    ['development', sets.development],
    ['held-out', sets.heldOut],
  ] as const) {
    console.log(`  ${name} speakers (${half.speakers.length}): ${half.speakers.slice(0, 8).join(', ')}, …`);
    printScore(
      `${name} conversations (${half.conversations.length}, 2–4 speakers)`,
      await scoreTurns(half.conversations, create, verbose),
    );
    const joined = await diarizeFile(half.joined.pcm, create);
    console.log(
      `  ${name} long file (its ${half.joined.name.split(' ')[0]} four-speaker conversations joined, ${(half.joined.pcm.length / SAMPLE_RATE).toFixed(0)} s, ${half.joined.speakers} speakers): ${speakersIn(joined.turns)} found`,
    );
    const single = await scoreSingle(half.single, create);
    console.log(
      `  ${name} single-speaker files: one speaker on ${single.one}/${single.files} (${pct(single.one / single.files)}, target ≥ 95 %)${single.split.length ? `; split: ${single.split.slice(0, 6).join(', ')}${single.split.length > 6 ? ', …' : ''}` : ''}`,
    );
  }
  printScore(`AMI meeting clips (${sets.meetings.length})`, await scoreTurns(sets.meetings, create, verbose));
}

/**
 * The same sets on the neural backend, with the GPU service's own model settings (MODEL_DIR,
 * DIARIZATION_*_MODEL, HF_ENDPOINT): run where its models are cached or can be downloaded; otherwise
 * one line says why not (here, with no hub, that is always the case: the generated stand-ins have the
 * real interfaces but random weights, so scoring them would mean nothing).
 */
export async function neuralRealDiarizationBench(): Promise<void> {
  if (!realSpeechDir()) return;
  // The bench serves nothing, but the service's config insists on a signing secret.
  const config = loadConfig({
    HUB_TIMEOUT_MS: '10000',
    GPU_SHARED_SECRET: randomBytes(32).toString('hex'),
    ...process.env,
  });
  const segmentation = config.DIARIZATION_SEGMENTATION_MODEL;
  const embedding = config.DIARIZATION_EMBEDDING_MODEL;
  const label = `neural backend (${segmentation}, ${embedding})`;
  if (!segmentation || !embedding) {
    console.log('\n# diarization on real speech (neural backend): not run, DIARIZATION_*_MODEL set empty');
    return;
  }
  const neural = neuralFactory({
    segmentation,
    embedding,
    modelDir: config.MODEL_DIR,
    device: config.DEVICE,
    remoteHost: config.HF_ENDPOINT,
    hubTimeoutMs: config.HUB_TIMEOUT_MS,
  });
  if (!(await neural.preload())) {
    console.log(
      `\n# diarization on real speech (${label}): not run, its models did not load: ${neural.failure()}`,
    );
    return;
  }
  const options = diarizationOptionsSchema.parse({});
  await realDiarizationBench(async () => {
    const diarizer = await neural(options);
    if (!diarizer) throw new Error('the neural models loaded once and are gone');
    return diarizer;
  }, label);
}
