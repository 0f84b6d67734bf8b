import type * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { testModelEnDir } from '../../test/fixtures.js';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import type { LoadedModel } from '../models/model-manager.js';
import type { WindowWord } from './decode-types.js';
import { transformersFeatures } from './transformers-features.js';
import { WhisperEngine } from './whisper-engine.js';

let model: LoadedModel;
let windows: Float32Array[];

beforeAll(async () => {
  model = await loadTestModel();
  const speech = await speechSamples();
  // Distinct windows: the clip, the clip reversed, a louder half, and a quiet tone.
  const reversed = speech.slice().reverse();
  const louder = speech.slice(0, speech.length >> 1).map((v) => Math.max(-1, Math.min(1, v * 3)));
  const tone = new Float32Array(16_000 * 4).map((_, i) => 0.05 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
  windows = [speech, reversed, louder, tone];
});

async function stockTokens(window: Float32Array, withTimestamps: boolean): Promise<number[]> {
  const { input_features } = (await model.transcriber.processor(window)) as { input_features: unknown };
  const generate = model.transcriber.model.generate as unknown as (args: Record<string, unknown>) => Promise<{
    tolist(): bigint[][];
  }>;
  const output = await generate.call(model.transcriber.model, {
    inputs: input_features,
    language: 'en',
    task: 'transcribe',
    return_timestamps: withTimestamps,
    max_new_tokens: 440,
  });
  const sequence = output.tolist()[0]!.map(Number);
  // Strip the prompt the pipeline put in front (sot, language, task[, notimestamps]).
  return sequence.slice(withTimestamps ? 3 : 4);
}

/**
 * Our engine's greedy decode of `windows` in English, on the stock features; `stock` reproduces
 * Transformers.js's timestamp rules and word frames, to compare with its pipeline.
 */
async function decodeOurs(
  on: LoadedModel,
  options: { batchSize: number; stock?: boolean; withTimestamps?: boolean; withWords?: boolean },
) {
  const engine = new WhisperEngine(on.whisper, transformersFeatures(on.transcriber), {
    batchSize: options.batchSize,
    ...(options.stock ? { timestampRules: 'transformers.js' as const } : {}),
  });
  const results = await engine.transcribeWindows(windows, {
    language: 'en',
    task: 'transcribe',
    withTimestamps: options.withTimestamps ?? true,
    ...(options.withWords ? { withWords: true } : {}),
    temperatures: [0],
  });
  return { engine, results };
}

type StockWords = { text: string; chunks: Array<{ timestamp: [number, number]; text: string }> };

/** Our words against the stock pipeline's chunks: same texts, start and end within 20 ms. */
function expectStockWords(words: readonly WindowWord[], stock: StockWords): number {
  expect(words.map((w) => w.word)).toEqual(stock.chunks.map((c) => c.text));
  for (const [j, chunk] of stock.chunks.entries()) {
    expect(Math.abs(words[j]!.start - chunk.timestamp[0])).toBeLessThanOrEqual(0.02);
    // The pipeline ends a last word the model left open at 0 (its end token's time); we end it where it starts.
    const end = Math.max(chunk.timestamp[0], chunk.timestamp[1]);
    expect(Math.abs(Math.max(words[j]!.start, words[j]!.end) - end)).toBeLessThanOrEqual(0.02);
  }
  return stock.chunks.length;
}

describe('WhisperEngine fidelity', () => {
  for (const withTimestamps of [true, false]) {
    it(`picks token for token what Transformers.js's generate picks (${withTimestamps ? 'timestamps' : 'no timestamps'})`, async () => {
      const { engine, results: ours } = await decodeOurs(model, {
        batchSize: 1,
        stock: true,
        withTimestamps,
      });
      for (const [i, window] of windows.entries()) {
        const stock = await stockTokens(window, withTimestamps);
        // A real sequence, not just an end token, so agreement means something.
        expect(stock.filter((t) => t < engine.vocab.eot).length).toBeGreaterThan(3);
        expect(ours[i]!.tokens.filter((t) => t !== engine.vocab.eot)).toEqual(
          stock.filter((t) => t !== engine.vocab.eot),
        );
      }
    });
  }

  it('places segment timestamps where the stock pipeline does on the same windows (within 20 ms)', async () => {
    const { results: ours } = await decodeOurs(model, { batchSize: 1, stock: true });
    let compared = 0;
    for (const [i, window] of windows.entries()) {
      const stock = (await model.transcriber(window, {
        language: 'en',
        task: 'transcribe',
        return_timestamps: true,
      })) as {
        chunks: Array<{ timestamp: [number, number | null]; text: string }>;
      };
      const segments = ours[i]!.segments.filter((s) => s.text.trim() !== '');
      const chunks = stock.chunks.filter((c) => c.text.trim() !== '');
      expect(segments.map((s) => s.text.trim())).toEqual(chunks.map((c) => c.text.trim()));
      for (const [j, chunk] of chunks.entries()) {
        expect(Math.abs(segments[j]!.start - chunk.timestamp[0])).toBeLessThanOrEqual(0.02);
        // The pipeline leaves an unclosed last chunk open (null): it ends with the window.
        const end = chunk.timestamp[1] ?? window.length / 16_000;
        expect(Math.abs(segments[j]!.end - end)).toBeLessThanOrEqual(0.02);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1);
  });

  it("gives the stock pipeline's word timestamps from the same single decode (within 20 ms)", async () => {
    const { results: ours } = await decodeOurs(model, { batchSize: 2, stock: true, withWords: true });
    let compared = 0;
    for (const [i, window] of windows.entries()) {
      const stock = (await model.transcriber(window, {
        language: 'en',
        task: 'transcribe',
        return_timestamps: 'word',
      })) as StockWords;
      compared += expectStockWords(ours[i]!.words!, stock);
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('gives the stock words on an English-only model too (a one-token prompt)', async () => {
    const english = await loadTestModel(testModelEnDir);
    const { results: ours } = await decodeOurs(english, { batchSize: 4, stock: true, withWords: true });
    // The window text (what the compression ratio is judged on) is words only, no timestamp tokens.
    for (const result of ours) expect(result.text).not.toMatch(/<\|[\d.]+\|>/);
    let compared = 0;
    for (const [i, window] of windows.entries()) {
      const stock = (await english.transcriber(window, { return_timestamps: 'word' })) as StockWords;
      // Our quality guard collapses a token loop the stock pipeline keeps: such a window's text differs.
      if (ours[i]!.segments.map((x) => x.text).join('') !== stock.text) continue;
      compared += expectStockWords(ours[i]!.words!, stock);
    }
    expect(compared).toBeGreaterThan(5);
  });

  it('aligns words to the audio alone by default, the same in a batch as one at a time', async () => {
    const { results: single } = await decodeOurs(model, { batchSize: 1, withWords: true });
    const { results: batched } = await decodeOurs(model, { batchSize: 4, withWords: true });
    expect(batched.map((r) => r.words)).toEqual(single.map((r) => r.words));
    for (const [i, result] of batched.entries()) {
      const seconds = windows[i]!.length / 16_000;
      const words = result.words!;
      expect(words.length).toBeGreaterThan(0);
      // Every text token lands in exactly one word, in order.
      expect(words.map((w) => w.word).join('')).toEqual(result.segments.map((s) => s.text).join(''));
      for (const [j, word] of words.entries()) {
        expect(word.start).toBeGreaterThanOrEqual(j === 0 ? 0 : words[j - 1]!.start);
        expect(word.end).toBeLessThanOrEqual(seconds);
        // The decode's own confidence in the word's tokens.
        expect(word.probability).toBeGreaterThan(0);
        expect(word.probability).toBeLessThanOrEqual(1);
      }
    }
    // Confidence is measured per word, not one figure for everything.
    expect(new Set(batched.flatMap((r) => r.words!.map((w) => w.probability))).size).toBeGreaterThan(1);
    // The windows differ in length and sound, so their alignments must too.
    expect(new Set(batched.map((r) => JSON.stringify(r.words!.map((w) => w.start)))).size).toBe(
      windows.length,
    );
  });

  it('decodes a batch exactly as it decodes the same windows one at a time', async () => {
    const { results: single } = await decodeOurs(model, { batchSize: 1 });
    const { results: batched } = await decodeOurs(model, { batchSize: 4 });
    expect(batched.map((r) => r.tokens)).toEqual(single.map((r) => r.tokens));
    for (const [i, r] of batched.entries()) expect(r.avgLogprob).toBeCloseTo(single[i]!.avgLogprob, 4);
  });

  it('batches concurrent calls together: one call’s windows join another’s decoder batch', async () => {
    const decoder = model.whisper.sessions.decoder;
    const batches: number[] = [];
    const recording = {
      inputNames: decoder.inputNames,
      outputNames: decoder.outputNames,
      run: (feeds: Record<string, ort.Tensor>, fetches?: string[]) => {
        batches.push(feeds.input_ids!.dims[0]!);
        return fetches ? decoder.run(feeds, fetches) : decoder.run(feeds);
      },
    } as unknown as ort.InferenceSession;
    const whisper = { ...model.whisper, sessions: { ...model.whisper.sessions, decoder: recording } };
    const engine = new WhisperEngine(whisper, transformersFeatures(model.transcriber), { batchSize: 4 });
    const options = { language: 'en', task: 'transcribe' as const, withTimestamps: true, temperatures: [0] };
    const [first, second] = await Promise.all([
      engine.transcribeWindows(windows.slice(0, 2), options),
      engine.transcribeWindows(windows.slice(2), options),
    ]);
    const { results: single } = await decodeOurs(model, { batchSize: 1 });
    expect([...first, ...second].map((r) => r.tokens)).toEqual(single.map((r) => r.tokens));
    // All four windows (two calls) shared the first step, and no step held more than the batch size.
    expect(batches[0]).toBe(4);
    expect(Math.max(...batches)).toBe(4);
  });

  it('reports Whisper’s quality figures and segments inside the window', async () => {
    const engine = new WhisperEngine(model.whisper, transformersFeatures(model.transcriber), {
      batchSize: 4,
    });
    const [result] = await engine.transcribeWindows([windows[0]!], {
      language: 'en',
      task: 'transcribe',
      withTimestamps: true,
    });
    expect(result!.avgLogprob).toBeLessThanOrEqual(0);
    // Words (and the attention they need) only when asked for.
    expect(result!.words).toBeUndefined();
    expect(result!.compressionRatio).toBeGreaterThan(0);
    expect(result!.noSpeechProb).toBeGreaterThanOrEqual(0);
    expect(result!.noSpeechProb).toBeLessThanOrEqual(1);
    for (const segment of result!.segments) {
      expect(segment.start).toBeGreaterThanOrEqual(0);
      expect(segment.end).toBeLessThanOrEqual(windows[0]!.length / 16_000);
      expect(segment.tokens.length).toBeGreaterThan(0);
    }
  });
});
