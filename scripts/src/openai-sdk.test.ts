import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, root, startStack } from './test-support/stack.js';

/**
 * The official `openai` SDK, unchanged, pointed at the local stack: what existing clients do.
 * The generated model's words are gibberish, so the checks are on shape, types and agreement.
 */
const speech = readFileSync(path.join(root, 'fixtures/audio/speech-en.flac'));
let stack: RunningStack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startStack(['--test-model']);
  client = new OpenAI({
    baseURL: `${stack.edge}/v1`,
    apiKey: 'unused-without-API_KEYS',
    maxRetries: 0,
  });
});

afterAll(async () => {
  await stack?.stop('SIGKILL');
});

describe('official openai SDK against the edge', () => {
  it('transcribes a toFile upload with whisper-1 (json)', async () => {
    const result = await client.audio.transcriptions.create({
      file: await toFile(speech, 'speech.flac', { type: 'audio/flac' }),
      model: 'whisper-1',
    });
    expect(typeof result.text).toBe('string');
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('returns verbose_json with words and segments when asked, in OpenAI’s shape', async () => {
    const result = await client.audio.transcriptions.create({
      file: await toFile(speech, 'speech.flac'),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
      language: 'en',
    });
    expect(result).toMatchObject({ task: 'transcribe', language: 'english', text: expect.any(String) });
    expect(result.duration).toBeCloseTo(5.98, 1);
    expect(Array.isArray(result.segments)).toBe(true);
    expect(result.words!.length).toBeGreaterThan(0);
    // OpenAI's word fields, plus the decode's confidence (the SDK's types keep what they know).
    for (const word of result.words!) {
      expect(word).toEqual({
        word: expect.any(String),
        start: expect.any(Number),
        end: expect.any(Number),
        probability: expect.any(Number),
      });
      const { probability } = word as typeof word & { probability: number };
      expect(probability).toBeGreaterThan(0);
      expect(probability).toBeLessThanOrEqual(1);
    }
  });

  it('returns text and subtitles as strings', async () => {
    const text = await client.audio.transcriptions.create({
      file: await toFile(speech, 'speech.flac'),
      model: 'whisper-1',
      response_format: 'text',
    });
    expect(typeof text).toBe('string');
    const vtt = await client.audio.transcriptions.create({
      file: await toFile(speech, 'speech.flac'),
      model: 'whisper-1',
      response_format: 'vtt',
    });
    expect(String(vtt).startsWith('WEBVTT')).toBe(true);
  });

  it('translates', async () => {
    const result = await client.audio.translations.create({
      file: await toFile(speech, 'speech.flac'),
      model: 'whisper-1',
      response_format: 'verbose_json',
    });
    expect(result).toMatchObject({ task: 'translate', language: 'english' });
  });

  it('lists models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('whisper-1');
  });

  it('surfaces our errors as the SDK’s typed errors', async () => {
    const error = await client.audio.transcriptions
      .create({ file: await toFile(speech, 'speech.flac'), model: 'no-such-model' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
      "Unknown model 'no-such-model'",
    );
  });

  it('streams with stream: true: deltas as windows finish, then the same text as a plain request', async () => {
    const plain = await client.audio.transcriptions.create({
      file: await toFile(speech, 'speech.flac'),
      model: 'whisper-1',
    });
    const stream = await client.audio.transcriptions.create({
      file: await toFile(speech, 'speech.flac'),
      model: 'whisper-1',
      stream: true,
    });
    const types: string[] = [];
    let deltas = '';
    let done = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'transcript.text.delta') deltas += event.delta;
      if (event.type === 'transcript.text.done') done = event.text;
    }
    expect(types.at(-1)).toBe('transcript.text.done');
    expect(types.filter((t) => t === 'transcript.text.delta').length).toBeGreaterThan(0);
    expect(done).toBe(plain.text);
    expect(deltas.trim()).toBe(done);
  });
});
