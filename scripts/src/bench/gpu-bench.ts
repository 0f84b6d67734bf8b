/**
 * `npm run bench gpu` (DEVICE=cuda): how to size a GPU host. For each dtype the model has files for
 * (fp16, fp32) and each batch size, our engine decodes the same 30 s windows at a fixed number of
 * tokens (end-of-text suppressed): real-time factor, time per decoder step split into onnxruntime's
 * `run` (device work plus the host↔device copies of every input and output: Node has no IO binding)
 * and our JS between runs, the copies estimated from the bytes each step moves at the host↔device
 * rate measured first, and peak device memory (nvidia-smi, sampled). `--model <id or dir>` (default
 * WHISPER_MODEL, else the generated base-sized model), `--windows N`, `--tokens N`, `--batches 1,4,8`.
 * DEVICE=cpu runs the same measurements on the CPU (a check of the bench itself).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { type LoadedModel, ModelManager } from '@whisper-edge/gpu-service/models/model-manager';
import { WhisperEngine } from '@whisper-edge/gpu-service/whisper/whisper-engine';
import * as ort from 'onnxruntime-node';
import { generateTinyWhisper } from '../tiny-whisper/generate.js';
import { benchAudio } from './engine-bench.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Device memory in use (MiB), or undefined without nvidia-smi. */
async function deviceMemory(): Promise<number | undefined> {
  try {
    const { stdout } = await promisify(execFile)('nvidia-smi', [
      '--query-gpu=memory.used',
      '--format=csv,noheader,nounits',
    ]);
    return Math.max(...stdout.trim().split('\n').map(Number));
  } catch {
    return undefined;
  }
}

/** Host→device→host bytes per second through a session: an Identity over 64 MiB, best of 5. */
async function copyRate(device: 'cuda' | 'cpu'): Promise<number> {
  const { GraphBuilder } = await import('../tiny-whisper/onnx-builder.js');
  const g = new GraphBuilder('copy');
  const x = g.input('x', 'float32', [16 * 1024 * 1024]);
  g.output('y', g.op('Identity', [g.op('Neg', [x])]), 'float32', [16 * 1024 * 1024]);
  const session = await ort.InferenceSession.create(g.toBytes(), { executionProviders: [device] });
  const feeds = { x: new ort.Tensor('float32', new Float32Array(16 * 1024 * 1024), [16 * 1024 * 1024]) };
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await session.run(feeds);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  await session.release();
  return (2 * 64 * 1024 * 1024) / best;
}

const bytesOf = (t: ort.Tensor) =>
  (t.type === 'float16' ? 2 : t.type === 'int64' ? 8 : t.type === 'bool' ? 1 : 4) * t.size;

/** Times every decoder run and the bytes it moves across the host↔device boundary. */
function watchDecoder(session: ort.InferenceSession) {
  const stats = { runs: 0, runSeconds: 0, bytes: 0 };
  const run = session.run.bind(session);
  session.run = (async (feeds: Record<string, ort.Tensor>, fetches?: unknown) => {
    const t = performance.now();
    const out = await (run as (f: unknown, o?: unknown) => Promise<Record<string, ort.Tensor>>)(
      feeds,
      fetches,
    );
    stats.runSeconds += (performance.now() - t) / 1000;
    stats.runs++;
    for (const v of [...Object.values(feeds), ...Object.values(out)]) stats.bytes += bytesOf(v);
    return out;
  }) as ort.InferenceSession['run'];
  return { stats, restore: () => (session.run = run as ort.InferenceSession['run']) };
}

async function load(
  model: string,
  device: 'cuda' | 'cpu',
  dtype: 'fp16' | 'fp32',
): Promise<{ manager: ModelManager; loaded: LoadedModel } | undefined> {
  const manager = new ModelManager({
    model,
    modelDir: path.join(root, 'models'),
    device,
    dtype: { [device]: dtype },
    hubTimeoutMs: 15_000,
    engineWorkers: 0,
  });
  try {
    return { manager, loaded: await manager.get() };
  } catch (error) {
    console.log(`  ${dtype}: not loaded (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

export async function gpuBench(
  options: { model?: string; windows?: number; tokens?: number; batches?: number[] } = {},
): Promise<void> {
  const device = process.env.DEVICE === 'cpu' ? 'cpu' : 'cuda';
  if (process.env.DEVICE !== 'cuda' && process.env.DEVICE !== 'cpu')
    throw new Error('npm run bench gpu needs DEVICE=cuda (or DEVICE=cpu to check the bench itself on a CPU)');
  let model = options.model ?? process.env.WHISPER_MODEL;
  if (!model) {
    model = path.join(root, 'fixtures/models/whisper-base-random');
    await generateTinyWhisper({ outDir: model, preset: 'base', seed: 3 });
  }
  const windowCount = options.windows ?? 32;
  const tokens = options.tokens ?? 64;
  const batches = options.batches ?? [1, 2, 4, 8, 16];
  const audio = benchAudio(Math.ceil(windowCount / 2));
  const windows = Array.from({ length: windowCount }, (_, i) =>
    audio.subarray(i * 30 * SAMPLE_RATE, (i + 1) * 30 * SAMPLE_RATE),
  );
  const seconds = windowCount * 30;
  const rate = await copyRate(device);
  console.log(
    `GPU bench (${device}, ${model}): ${windowCount} windows of 30 s, ${tokens} tokens each; host↔device ${(rate / 1e9).toFixed(1)} GB/s through a session`,
  );
  for (const dtype of ['fp16', 'fp32'] as const) {
    const found = await load(model, device, dtype);
    if (!found) continue;
    const { manager, loaded } = found;
    const config = loaded.whisper.generationConfig;
    config.suppress_tokens = [...(config.suppress_tokens ?? []), ...[config.eos_token_id ?? []].flat()];
    const features = await loaded.features();
    const baseline = await deviceMemory();
    for (const batchSize of batches) {
      const engine = new WhisperEngine(loaded.whisper, features, { batchSize });
      const decode = () =>
        engine.transcribeWindows(windows, {
          language: 'en',
          task: 'transcribe',
          withTimestamps: false,
          temperatures: [0],
          maxNewTokens: tokens,
        });
      await engine.transcribeWindows(windows.slice(0, batchSize), {
        language: 'en',
        task: 'transcribe',
        withTimestamps: false,
        temperatures: [0],
        maxNewTokens: 4,
      });
      let peak = baseline ?? 0;
      const sampler = setInterval(() => {
        void deviceMemory().then((m) => {
          if (m !== undefined) peak = Math.max(peak, m);
        });
      }, 200);
      const watch = watchDecoder(loaded.whisper.sessions.decoder);
      const started = performance.now();
      let decodeSeconds = 0;
      try {
        const t = performance.now();
        await decode();
        decodeSeconds = (performance.now() - t) / 1000;
      } finally {
        clearInterval(sampler);
        watch.restore();
      }
      const wall = (performance.now() - started) / 1000;
      const { runs, runSeconds, bytes } = watch.stats;
      const copies = bytes / rate;
      const perStep = (s: number) => `${((s / runs) * 1000).toFixed(2)} ms`;
      console.log(
        `  ${dtype} batch ${String(batchSize).padStart(2)}: ${(seconds / wall).toFixed(1)}x real time; per decoder step ${perStep(runSeconds)} in run (≈ ${perStep(copies)} of it copies, ${(bytes / runs / 1e6).toFixed(1)} MB a step), ${perStep(decodeSeconds - runSeconds)} elsewhere (encoder, features, JS)${baseline === undefined ? '' : `; device memory peak +${peak - baseline} MiB`}`,
      );
    }
    await manager.unload();
  }
}
