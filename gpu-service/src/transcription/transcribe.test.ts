import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WHISPER_LANGUAGES } from '@whisper-edge/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { testModelDir, testModelEnDir } from '../../test/fixtures.js';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import { diarizerFactory } from '../diarization/create-diarizer.js';
import type { LoadedModel } from '../models/model-manager.js';
import { Transcriber } from './transcribe.js';

const transcriber = new Transcriber({ diarizers: diarizerFactory() });

let multilingual: LoadedModel;
let englishOnly: LoadedModel;
let audio: Float32Array;

beforeAll(async () => {
  [multilingual, englishOnly] = await Promise.all([
    loadTestModel(testModelDir),
    loadTestModel(testModelEnDir),
  ]);
  audio = await speechSamples();
});

describe('transcribe', () => {
  it('detects the language from the decoder’s first step when none is given', async () => {
    const guess = await transcriber.detectLanguage(multilingual, audio);
    expect(Object.keys(WHISPER_LANGUAGES)).toContain(guess.language);
    expect(guess.probability).toBeGreaterThan(0);
    expect(guess.probability).toBeLessThanOrEqual(1);
    const result = await transcriber.transcribe(multilingual, audio, { task: 'transcribe' });
    expect(result.language).toBe(guess.language);
    // Detection and an explicit language give the same text when they name the same language.
    const explicit = await transcriber.transcribe(multilingual, audio, {
      task: 'transcribe',
      language: guess.language,
    });
    expect(explicit.text).toBe(result.text);
  });

  it('returns word timestamps inside the audio when asked for', async () => {
    const result = await transcriber.transcribe(multilingual, audio, {
      task: 'transcribe',
      language: 'en',
      timestamp_granularities: ['word'],
    });
    expect(result.words!.length).toBeGreaterThan(0);
    for (const word of result.words!) {
      expect(word.start).toBeGreaterThanOrEqual(0);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.end).toBeLessThanOrEqual(result.duration);
      // Carried through to the canonical result, so editors can mark doubtful words.
      expect(word.probability).toBeGreaterThan(0);
      expect(word.probability).toBeLessThanOrEqual(1);
    }
  });

  it('answers 400 for word timestamps from a model without alignment heads', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'no-alignment-'));
    cpSync(testModelDir, dir, { recursive: true });
    const configPath = path.join(dir, 'generation_config.json');
    const { alignment_heads: _, ...config } = JSON.parse(readFileSync(configPath, 'utf8'));
    writeFileSync(configPath, JSON.stringify(config));
    try {
      const model = await loadTestModel(dir);
      await expect(
        transcriber.transcribe(model, audio, {
          task: 'transcribe',
          language: 'en',
          timestamp_granularities: ['word'],
        }),
      ).rejects.toMatchObject({ status: 400, code: 'unsupported_timestamp_granularity' });
      // Segments alone still work on it.
      const result = await transcriber.transcribe(model, audio, { task: 'transcribe', language: 'en' });
      expect(result.segments.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has an English-only model refuse translation and other languages with a 400', async () => {
    await expect(transcriber.transcribe(englishOnly, audio, { task: 'translate' })).rejects.toMatchObject({
      status: 400,
      message: `Model '${testModelEnDir}' is English-only: it cannot translate`,
    });
    await expect(
      transcriber.transcribe(englishOnly, audio, { task: 'transcribe', language: 'de' }),
    ).rejects.toMatchObject({
      status: 400,
    });
    const english = await transcriber.transcribe(englishOnly, audio, { task: 'transcribe' });
    expect(english.language).toBe('en');
  });

  it('translates with a multilingual model', async () => {
    const result = await transcriber.transcribe(multilingual, audio, { task: 'translate' });
    expect(result.task).toBe('translate');
    expect(result.text.length).toBeGreaterThan(0);
  });
});
