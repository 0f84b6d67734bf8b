import type * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import type { LoadedModel } from '../models/model-manager.js';
import { DecodeLoop } from './decode-loop.js';
import type { SequenceRequest } from './decoder-runner.js';
import { decoderShape } from './decoder-runner.js';
import { encodeWindows } from './encode-windows.js';
import { transformersFeatures } from './transformers-features.js';
import { readVocab, type WhisperVocab } from './whisper-vocab.js';

let model: LoadedModel;
let hidden: ort.Tensor;
/** End-of-text suppressed: every sequence runs exactly its maxNewTokens, so the steps are known. */
let vocab: WhisperVocab;
let prompt: number[];

interface Step {
  batch: number;
  /** The self-attention cache length fed: the batch's position. */
  past: number;
}

/** The decoder session, recording each run's batch size and position (and calling `onStep`). */
function recorded(steps: Step[], onStep: (count: number) => void = () => {}): ort.InferenceSession {
  const session = model.whisper.sessions.decoder;
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    run: (feeds: Record<string, ort.Tensor>, fetches?: string[]) => {
      steps.push({
        batch: feeds.input_ids!.dims[0]!,
        past: feeds['past_key_values.0.decoder.key']!.dims[2]!,
      });
      onStep(steps.length);
      return fetches ? session.run(feeds, fetches) : session.run(feeds);
    },
  } as unknown as ort.InferenceSession;
}

const request = (row: number, maxNewTokens: number, tokens = prompt): SequenceRequest => ({
  hidden,
  row,
  prompt: tokens,
  withTimestamps: false,
  temperature: 0,
  maxNewTokens,
});

async function alone(r: SequenceRequest): Promise<number[]> {
  const loop = new DecodeLoop(model.whisper.sessions.decoder, vocab, decoderShape(model.whisper.config), 1);
  return (await loop.decode(r)).tokens;
}

beforeAll(async () => {
  model = await loadTestModel();
  const speech = await speechSamples();
  const windows = [speech, speech.slice().reverse(), speech.subarray(0, speech.length >> 1)];
  hidden = await encodeWindows(model.whisper, transformersFeatures(model.transcriber), windows);
  const read = readVocab(model.whisper.generationConfig, model.whisper.tokenizer);
  vocab = { ...read, suppressTokens: [...read.suppressTokens, read.eot] };
  prompt = [vocab.sot, vocab.langToId['<|en|>']!, vocab.transcribe, vocab.noTimestamps];
});

describe('DecodeLoop (continuous batching)', () => {
  it('lets a sequence leave the batch at its last token while the others go on', async () => {
    const steps: Step[] = [];
    const loop = new DecodeLoop(recorded(steps), vocab, decoderShape(model.whisper.config), 4);
    const [short, long] = await Promise.all([loop.decode(request(0, 4)), loop.decode(request(1, 12))]);
    expect(short.tokens).toHaveLength(4);
    expect(long.tokens).toHaveLength(12);
    expect(steps.map((s) => s.batch)).toEqual([2, 2, 2, 2, ...new Array(8).fill(1)]);
    expect(short.tokens).toEqual(await alone(request(0, 4)));
    expect(long.tokens).toEqual(await alone(request(1, 12)));
  });

  it('takes a sequence in at the next step, lets it catch up, then decodes both in one batch', async () => {
    const steps: Step[] = [];
    let joined: Promise<{ tokens: number[] }> | undefined;
    const loop = new DecodeLoop(
      recorded(steps, (count) => {
        if (count === 6) joined = loop.decode(request(1, 16));
      }),
      vocab,
      decoderShape(model.whisper.config),
      4,
    );
    const first = await loop.decode(request(0, 24));
    const second = await joined!;
    expect(first.tokens).toEqual(await alone(request(0, 24)));
    expect(second.tokens).toEqual(await alone(request(1, 16)));
    // The newcomer's prompt ran at the very next step, alone, then it was stepped until it reached the
    // first sequence's position; from there on they shared steps until it ended.
    expect(steps[6]).toEqual({ batch: 1, past: 0 });
    const merged = steps.findIndex((s) => s.batch === 2);
    expect(merged).toBeGreaterThan(6);
    const together = steps.filter((s) => s.batch === 2).length;
    expect(together).toBeGreaterThan(0);
    // Every token of both took exactly one row of one step: shared steps are not paid twice.
    expect(steps.reduce((n, s) => n + s.batch, 0)).toBe(24 + 16);
    expect(steps.length).toBe(24 + 16 - together);
  });

  it('batches prompts of different lengths once they reach the same position', async () => {
    const steps: Step[] = [];
    const loop = new DecodeLoop(recorded(steps), vocab, decoderShape(model.whisper.config), 4);
    const previous = model.whisper.tokenizer.encode(' earlier text', { add_special_tokens: false });
    const longer = [vocab.startOfPrev!, ...previous, ...prompt];
    const [a, b] = await Promise.all([loop.decode(request(0, 10)), loop.decode(request(2, 10, longer))]);
    expect(a.tokens).toEqual(await alone(request(0, 10)));
    expect(b.tokens).toEqual(await alone(request(2, 10, longer)));
    expect(steps.some((s) => s.batch === 2)).toBe(true);
  });

  it('never decodes more than its batch size at once; the rest wait for a place', async () => {
    const steps: Step[] = [];
    const loop = new DecodeLoop(recorded(steps), vocab, decoderShape(model.whisper.config), 2);
    const results = await Promise.all([0, 1, 2].map((row) => loop.decode(request(row, 6 + row))));
    expect(Math.max(...steps.map((s) => s.batch))).toBe(2);
    for (const [row, result] of results.entries())
      expect(result.tokens).toEqual(await alone(request(row, 6 + row)));
  });

  it('takes an urgent (live) sequence in at once, past a full batch', async () => {
    const steps: Step[] = [];
    let urgent: Promise<{ tokens: number[] }> | undefined;
    const loop = new DecodeLoop(
      recorded(steps, (count) => {
        if (count === 3) urgent = loop.decode({ ...request(1, 5), urgent: true });
      }),
      vocab,
      decoderShape(model.whisper.config),
      1,
    );
    const running = loop.decode(request(0, 12));
    const waiting = loop.decode(request(2, 4));
    expect((await running).tokens).toEqual(await alone(request(0, 12)));
    expect((await urgent!).tokens).toEqual(await alone(request(1, 5)));
    // Its prompt ran at the next step while the full batch still had tokens to go...
    expect(steps[3]).toEqual({ batch: 1, past: 0 });
    // ...while the ordinary sequence waited for the place to come free.
    expect((await waiting).tokens).toEqual(await alone(request(2, 4)));
    const waitingStart = steps.findIndex((s, i) => i > 3 && s.past === 0);
    expect(waitingStart).toBeGreaterThan(3 + 5);
    // The batch held two only while the urgent one ran: one beyond the batch size, never more.
    expect(Math.max(...steps.map((s) => s.batch))).toBe(2);
  });

  it('fails the sequences of a step that throws, and goes on with later ones', async () => {
    let broken = true;
    const session = model.whisper.sessions.decoder;
    const flaky = {
      inputNames: session.inputNames,
      outputNames: session.outputNames,
      run: (feeds: Record<string, ort.Tensor>, fetches?: string[]) => {
        if (broken) return Promise.reject(new Error('device lost'));
        return fetches ? session.run(feeds, fetches) : session.run(feeds);
      },
    } as unknown as ort.InferenceSession;
    const loop = new DecodeLoop(flaky, vocab, decoderShape(model.whisper.config), 2);
    await expect(loop.decode(request(0, 3))).rejects.toThrow('device lost');
    broken = false;
    expect((await loop.decode(request(0, 3))).tokens).toEqual(await alone(request(0, 3)));
  });
});
