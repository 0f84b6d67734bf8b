import { loadavg } from 'node:os';
import { speechFlac } from '@whisper-edge/gpu-service/testing/fixtures';
import { openRealtime, pcmOf } from '../test-support/realtime-client.js';
import { type RunningStack, startStack } from '../test-support/stack.js';

const RATE = 24_000;
const PREFIX_MS = 300;
const SILENCE_MS = 500;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (v: number) => `${Math.round(v)} ms`;

interface SessionTiming {
  /** Onset of speech (VAD's, less the prefix padding) as audio → first delta on the client. */
  firstDelta: number | null;
  /** End of speech (where the closing silence began) as audio → completed on the client. */
  endToCompleted: number;
  /** speech_stopped → completed: the final decode and the way back. */
  stoppedToCompleted: number;
  deltas: number;
}

/**
 * One live session streaming `pcm` at real time over ws: into the Worker, its Durable Object, the GPU
 * service and back. Audio times are turned into wall-clock times by the pacing (block n goes out at
 * n × 100 ms), so "end of speech → completed" is measured from when the last speech was sent.
 */
async function timedSession(stack: RunningStack, pcm: Buffer): Promise<SessionTiming> {
  const client = await openRealtime(`${stack.edge.replace('http', 'ws')}/v1/realtime?intent=transcription`);
  await client.next('session.created');
  const started = performance.now();
  await client.stream(pcm, RATE, { speed: 1, blockMs: 100 });
  const completed = await client.next('conversation.item.input_audio_transcription.completed', 0, 120_000);
  const startedEvent = client.of('input_audio_buffer.speech_started')[0]!;
  const stopped = client.of('input_audio_buffer.speech_stopped')[0]!;
  const firstDelta = client.of('conversation.item.input_audio_transcription.delta')[0];
  // Block n (100 ms of audio) left at started + n × 100 ms: audio position t ms was sent by started + t.
  const onsetSent = started + Number(startedEvent.audio_start_ms) + PREFIX_MS;
  const endSent = started + Number(stopped.audio_end_ms) - SILENCE_MS;
  client.close();
  return {
    firstDelta: firstDelta ? firstDelta.at - onsetSent : null,
    endToCompleted: completed.at - endSent,
    stoppedToCompleted: completed.at - stopped.at,
    deltas: client.of('conversation.item.input_audio_transcription.delta').length,
  };
}

function summarise(label: string, timings: SessionTiming[]): void {
  const first = timings.map((t) => t.firstDelta).filter((v): v is number => v !== null);
  const end = timings.map((t) => t.endToCompleted);
  const decode = timings.map((t) => t.stoppedToCompleted);
  console.log(`  ${label} (${timings.length} sessions)`);
  console.log(
    `    speech → first delta:      p50 ${ms(percentile(first, 50))}  p95 ${ms(percentile(first, 95))}`,
  );
  console.log(
    `    end of speech → completed: p50 ${ms(percentile(end, 50))}  p95 ${ms(percentile(end, 95))}  (includes the ${SILENCE_MS} ms of silence server VAD waits for)`,
  );
  console.log(
    `    speech_stopped → completed: p50 ${ms(percentile(decode, 50))}  p95 ${ms(percentile(decode, 95))}`,
  );
  console.log(`    deltas per turn: ${timings.map((t) => t.deltas).join(', ')}`);
}

/** N sessions at once, each streaming the speech at real time; whether every one stays live. */
async function concurrent(stack: RunningStack, pcm: Buffer, n: number) {
  const timings = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      // Staggered starts, as people do not all begin the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, i * 150));
      return timedSession(stack, pcm);
    }),
  );
  const end = timings.map((t) => t.endToCompleted);
  const first = timings.map((t) => t.firstDelta ?? Number.POSITIVE_INFINITY);
  return { n, p95End: percentile(end, 95), p95First: percentile(first, 95), timings };
}

/**
 * `npm run bench realtime`: live transcription latency through the whole local stack (wrangler dev,
 * one GPU service, CPU, the generated model), and how many concurrent real-time sessions one GPU
 * service holds. "Holds" means that at p95 a session still gets its first text within 3 s of speaking
 * and its final text within 3 s of stopping: nobody falls behind the audio. The machine's load is
 * printed beside each step, since other work on a shared machine moves these figures.
 */
export async function realtimeBench(): Promise<void> {
  const pcm = pcmOf(speechFlac, RATE, 1, 2);
  const runs = Number(process.env.REALTIME_BENCH_RUNS ?? 6);
  console.log(
    `realtime (speech-en.flac, ${(pcm.length / 2 / RATE).toFixed(1)} s with silence, streamed at real time over ws:)`,
  );
  for (const fallback of [true, false]) {
    const stack = await startStack(['--test-model'], 240_000, {
      MAX_REALTIME_SESSIONS: '64',
      REALTIME_TEMPERATURE_FALLBACK: String(fallback),
    });
    try {
      await timedSession(stack, pcm); // warm-up: model, VAD and workerd's first isolate
      const timings: SessionTiming[] = [];
      for (let i = 0; i < runs; i++) timings.push(await timedSession(stack, pcm));
      summarise(
        fallback
          ? 'one session at a time, final decode with Whisper’s temperature fallback (the default)'
          : 'one session at a time, REALTIME_TEMPERATURE_FALLBACK=false (one greedy final decode)',
        timings,
      );
      // The generated model's random output fails Whisper's quality checks every time, so with fallback
      // on each final decode runs all six temperatures; a real model rarely does. Capacity is measured
      // on the pipeline itself: one final decode per turn.
      if (fallback) continue;
      console.log('  concurrent sessions on one GPU service (REALTIME_TEMPERATURE_FALLBACK=false):');
      let held = 0;
      let misses = 0;
      for (const n of [1, 2, 4, 6, 8, 12, 16]) {
        const result = await concurrent(stack, pcm, n);
        const ok = result.p95First <= 3000 && result.p95End <= 3000;
        console.log(
          `    ${String(n).padStart(2)} sessions: p95 speech → first delta ${ms(result.p95First)}, p95 end of speech → completed ${ms(result.p95End)}  ${ok ? 'live' : 'falling behind'}  (load average ${loadavg()[0]!.toFixed(1)})`,
        );
        if (ok && misses === 0) held = n;
        // One slow step can be the machine; two in a row is the service.
        if (!ok && ++misses === 2) break;
      }
      console.log(
        `    one GPU service holds ${held} concurrent real-time session${held === 1 ? '' : 's'} on this machine`,
      );
    } finally {
      await stack.stop('SIGKILL');
    }
  }
}
