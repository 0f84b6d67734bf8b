/**
 * Child process of the whisper.cpp peer (whisper-cpp-peer.ts): loads one ggml model file in
 * whisper.cpp through the prebuilt `@fugood/node-whisper-linux-x64` addon, runs whisper.cpp's own
 * benchmark (whisper_bench: one encoder run on a 30 s window, 256 single-token decoder steps, 64
 * batched ones of 5 tokens, 16 prompts of 256) `rounds` times, and prints the best of each as JSON.
 * A process of its own: the addon's threads keep a process alive after release.
 *
 *   tsx scripts/src/bench/whisper-cpp-run.ts <model.bin> <threads> [rounds]
 */
import { createRequire } from 'node:module';

interface WhisperCppBench {
  encodeMs: number;
  decodeMs: number;
  batchdMs: number;
  promptMs: number;
  config: string;
}
interface WhisperCppContext {
  bench(threads: number): Promise<WhisperCppBench>;
  release(): Promise<void>;
}

const [file, threadsArg, roundsArg] = process.argv.slice(2);
const addon = createRequire(import.meta.url)('@fugood/node-whisper-linux-x64') as {
  WhisperContext: new (options: { filePath: string; useGpu: boolean }) => WhisperCppContext;
};
const context = new addon.WhisperContext({ filePath: file!, useGpu: false });
const best = { encodeMs: Infinity, decodeMs: Infinity, batchdMs: Infinity, promptMs: Infinity, config: '' };
for (let round = 0; round < Number(roundsArg ?? 1); round++) {
  const result = await context.bench(Number(threadsArg));
  for (const key of ['encodeMs', 'decodeMs', 'batchdMs', 'promptMs'] as const)
    best[key] = Math.min(best[key], result[key]);
  best.config = result.config;
}
process.stdout.write(`${JSON.stringify(best)}\n`);
process.exit(0);
