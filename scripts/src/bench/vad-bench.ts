/**
 * VAD speed as a real-time factor (seconds of audio per second of compute), single stream and with
 * concurrent streams sharing the session. Run: npx tsx scripts/src/bench/vad-bench.ts [minutes]
 * CPU seconds are reported beside wall time because a busy machine stretches the latter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { lowNoise, speak } from '@whisper-edge/gpu-service/testing/speech-fixture';
import { loadSileroVad } from '@whisper-edge/gpu-service/vad/silero-model';
import { detectSpeech } from '@whisper-edge/gpu-service/vad/silero-vad';

const minutes = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(path.join(tmpdir(), 'vad-bench-'));
let phrase: Float32Array;
try {
  phrase = speak('Speed is measured on speech separated by pauses of different lengths.', dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// Speech and silence alternate so the segmenter does real work, not just the model.
const pcm = lowNoise(Math.round(minutes * 60 * SAMPLE_RATE));
for (let at = 0, i = 0; at + phrase.length < pcm.length; i++) {
  pcm.set(phrase, at);
  at += phrase.length + Math.round(((i % 7) * 0.4 + 0.2) * SAMPLE_RATE);
}
const audioSeconds = pcm.length / SAMPLE_RATE;
const model = await loadSileroVad();
await detectSpeech(pcm.subarray(0, 10 * SAMPLE_RATE), {}, model);

async function measure(label: string, streams: number): Promise<void> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const before = model.stats;
  await Promise.all(Array.from({ length: streams }, () => detectSpeech(pcm, {}, model)));
  const wallSeconds = (performance.now() - wall) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const frames = model.stats.frames - before.frames;
  const runs = model.stats.runs - before.runs;
  console.log(
    `${label}: ${((streams * audioSeconds) / wallSeconds).toFixed(0)}× real time (wall), ` +
      `${((streams * audioSeconds) / cpuSeconds).toFixed(0)}× per CPU second, ` +
      `${((wallSeconds / frames) * 1e6).toFixed(0)} µs/frame, ${(frames / runs).toFixed(1)} frames/run`,
  );
}

console.log(`${audioSeconds.toFixed(0)} s of audio per stream`);
await measure('1 stream ', 1);
await measure('4 streams', 4);
await model.release();
