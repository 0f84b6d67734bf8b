/**
 * `npm run bench diarization`: the acoustic backend on 12 synthetic conversations (2–4 espeak-ng
 * voices, 10–16 turns of 1–6 s, seeds 1–12), scored with NIST DER at a 0.25 s collar, and the time
 * diarization adds to transcription; then the same backend on real voices (real-diarization-bench.ts),
 * which is what its settings are chosen on. Espeak voices are a plumbing check now.
 * `npm run bench diarization-dev`: the same table on the espeak conversations (seeds 1000–1008) an
 * earlier espeak-tuned version was chosen on.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { AcousticDiarizer } from '@whisper-edge/gpu-service/diarization/acoustic-diarizer';
import { diarizerFactory } from '@whisper-edge/gpu-service/diarization/create-diarizer';
import { ModelManager } from '@whisper-edge/gpu-service/models/model-manager';
import { diarizationErrorRate } from '@whisper-edge/gpu-service/testing/der';
import {
  type SyntheticConversation,
  synthesizeConversation,
} from '@whisper-edge/gpu-service/testing/synthetic-conversation';
import { Transcriber } from '@whisper-edge/gpu-service/transcription/transcribe';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const BLOCK = SAMPLE_RATE;

export function benchConversations(
  count = 12,
): Array<SyntheticConversation & { speakers: number; seed: number }> {
  return Array.from({ length: count }, (_, i) => {
    const seed = i + 1;
    const speakers = 2 + (i % 3);
    return { seed, speakers, ...synthesizeConversation({ seed, speakers, turns: 10 + ((i * 7) % 7) }) };
  });
}

/** What an earlier, espeak-tuned DEFAULT_ACOUSTIC_TUNING was chosen on: never the benchmark's seeds. */
export function developmentConversations(): Array<
  SyntheticConversation & { speakers: number; seed: number }
> {
  return Array.from({ length: 9 }, (_, i) => {
    const seed = 1000 + i;
    const speakers = 2 + (i % 3);
    return { seed, speakers, ...synthesizeConversation({ seed, speakers, turns: 10 + (i % 5) }) };
  });
}

async function diarizeTimed(pcm: Float32Array) {
  const started = performance.now();
  const diarizer = await AcousticDiarizer.create();
  // 1 s blocks, as ffmpeg feeds the service.
  for (let at = 0; at < pcm.length; at += BLOCK) await diarizer.push(pcm.subarray(at, at + BLOCK));
  const turns = await diarizer.finish();
  return { turns, seconds: (performance.now() - started) / 1000 };
}

export async function diarizationDevBench(): Promise<void> {
  console.log('\n# diarization, development set (acoustic backend, 9 conversations, collar 0.25 s)');
  await scoreConversations(developmentConversations());
}

export async function diarizationBench(): Promise<void> {
  console.log('\n# diarization (acoustic backend, 12 synthetic conversations, collar 0.25 s)');
  const conversations = benchConversations();
  await scoreConversations(conversations);
  await addedTime(conversations);
}

async function scoreConversations(
  conversations: Array<SyntheticConversation & { speakers: number; seed: number }>,
): Promise<void> {
  let error = 0;
  let scored = 0;
  let exact = 0;
  let audioSeconds = 0;
  let diarizeSeconds = 0;
  console.log('  seed  voices  found  audio s   DER    miss  false-al  confusion');
  for (const c of conversations) {
    const { turns, seconds } = await diarizeTimed(c.pcm);
    const der = diarizationErrorRate(c.reference, turns, 0.25);
    const found = new Set(turns.map((t) => t.speaker)).size;
    if (found === c.speakers) exact++;
    error += der.miss + der.falseAlarm + der.confusion;
    scored += der.total;
    audioSeconds += c.pcm.length / SAMPLE_RATE;
    diarizeSeconds += seconds;
    console.log(
      `  ${String(c.seed).padStart(4)}  ${String(c.speakers).padStart(6)}  ${String(found).padStart(5)}  ${(c.pcm.length / SAMPLE_RATE).toFixed(1).padStart(7)}  ${(der.der * 100).toFixed(1).padStart(5)} %  ${der.miss.toFixed(2).padStart(5)}  ${der.falseAlarm.toFixed(2).padStart(8)}  ${der.confusion.toFixed(2).padStart(9)}`,
    );
  }
  console.log(`  overall DER: ${((error / scored) * 100).toFixed(2)} % (target ≤ 10 %)`);
  console.log(
    `  speaker count exact: ${exact}/${conversations.length} (${((exact / conversations.length) * 100).toFixed(0)} %, target ≥ 80 %)`,
  );
  console.log(
    `  diarization speed: ${(audioSeconds / diarizeSeconds).toFixed(1)}x real time on one CPU core`,
  );
}

async function addedTime(conversations: SyntheticConversation[]): Promise<void> {
  // Added time: the same audio transcribed with and without diarization by a model of whisper-base's
  // dimensions (random weights, so how many tokens a window decodes is the generated model's habit, the
  // same in both runs; real speech would decode more and make the share smaller).
  const dir = path.join(root, 'fixtures/models/whisper-base-random');
  await generateTinyWhisper({ outDir: dir, preset: 'base', seed: 3 });
  const model = await new ModelManager({
    model: dir,
    modelDir: dir,
    device: 'cpu',
    hubTimeoutMs: 1000,
  }).get();
  const transcriber = new Transcriber({ diarizers: diarizerFactory() });
  const sample = conversations.slice(0, 3);
  // Warm up (engine, worker pools, VAD and word-timestamp pipeline) so no timed run pays for set-up.
  await transcriber.transcribe(
    model,
    sample[0]!.pcm.subarray(0, 10 * SAMPLE_RATE),
    { task: 'transcribe', language: 'en', diarization: {} },
    { temperatures: [0] },
  );
  let plain = 0;
  let withDiarization = 0;
  let diarizerOnly = 0;
  for (const c of sample) {
    const options = { task: 'transcribe' as const, language: 'en' };
    let started = performance.now();
    await transcriber.transcribe(model, c.pcm, options, { temperatures: [0] });
    plain += performance.now() - started;
    started = performance.now();
    await transcriber.transcribe(model, c.pcm, { ...options, diarization: {} }, { temperatures: [0] });
    withDiarization += performance.now() - started;
    diarizerOnly += (await diarizeTimed(c.pcm)).seconds * 1000;
  }
  const sampleSeconds = sample.reduce((n, c) => n + c.pcm.length / SAMPLE_RATE, 0);
  console.log(
    `  transcription (whisper-base dims, random weights, CPU, ${sample.length} conversations, ${sampleSeconds.toFixed(0)} s): ${(plain / 1000).toFixed(2)} s (${(sampleSeconds / (plain / 1000)).toFixed(1)}x real time)`,
  );
  console.log(
    `  diarizer alone: ${(diarizerOnly / 1000).toFixed(2)} s = ${((diarizerOnly / plain) * 100).toFixed(1)} % of transcription time`,
  );
  console.log(
    `  transcription with diarization: ${(withDiarization / 1000).toFixed(2)} s = +${(((withDiarization - plain) / plain) * 100).toFixed(1)} % (includes the word-timestamp pass used to split segments)`,
  );
}
