import { readFileSync } from 'node:fs';
import { diarizationErrorRate } from '@whisper-edge/gpu-service/testing/der';
import {
  encodeConversation,
  type SyntheticConversation,
  synthesizeConversation,
} from '@whisper-edge/gpu-service/testing/synthetic-conversation';
import OpenAI, { toFile } from 'openai';
import type { TranscriptionDiarized } from 'openai/resources/audio/transcriptions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from './test-support/stack.js';

/**
 * Diarization end to end: a real wrangler dev Worker, the real GPU service on CPU (generated Whisper
 * model: its words are gibberish, their timestamps real), a two-voice espeak-ng conversation as FLAC.
 */
let stack: RunningStack;
let conversation: SyntheticConversation;
let flac: Buffer;

beforeAll(async () => {
  conversation = synthesizeConversation({ seed: 3, speakers: 2, turns: 6, voices: [1, 2] });
  flac = readFileSync(encodeConversation(conversation, 'two-voices.flac'));
  stack = await startStack(['--test-model']);
});

afterAll(async () => {
  await stack?.stop('SIGKILL');
});

function form(fields: Record<string, string>): FormData {
  const body = new FormData();
  body.append('file', new File([flac], 'two voices.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

describe('diarization through the stack', () => {
  it('POST /v1/audio/diarization finds both voices where they spoke (RTTM)', async () => {
    const response = await fetch(`${stack.edge}/v1/audio/diarization`, {
      method: 'POST',
      body: form({ response_format: 'rttm' }),
    });
    expect(response.status).toBe(200);
    const turns = (await response.text())
      .trim()
      .split('\n')
      .map((line) => {
        const [, file, , onset, duration, , , speaker] = line.split(' ');
        expect(file).toBe('two_voices');
        return { start: Number(onset), end: Number(onset) + Number(duration), speaker: speaker! };
      });
    expect(new Set(turns.map((t) => t.speaker))).toEqual(new Set(['SPEAKER_00', 'SPEAKER_01']));
    expect(diarizationErrorRate(conversation.reference, turns).der).toBeLessThan(0.1);
  });

  it('the official SDK gets diarized_json with speakers, and vtt gets voice tags', async () => {
    const client = new OpenAI({ baseURL: `${stack.edge}/v1`, apiKey: 'unused', maxRetries: 0 });
    // The SDK types diarized_json's answer loosely; it is TranscriptionDiarized at run time.
    const result = (await client.audio.transcriptions.create({
      file: await toFile(flac, 'two voices.flac', { type: 'audio/flac' }),
      model: 'whisper-1',
      response_format: 'diarized_json',
      language: 'en',
    })) as unknown as TranscriptionDiarized;
    expect(result.task).toBe('transcribe');
    expect(result.duration).toBeCloseTo(conversation.pcm.length / 16_000, 1);
    expect(result.segments.length).toBeGreaterThan(0);
    for (const segment of result.segments) {
      expect(segment.type).toBe('transcript.text.segment');
      expect(segment.speaker).toMatch(/^SPEAKER_0[01]$/);
    }

    const vtt = await fetch(`${stack.edge}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form({ response_format: 'vtt', enable_diarization: 'true', language: 'en' }),
    });
    expect(await vtt.text()).toMatch(/^WEBVTT\n\n[\d:.]+ --> [\d:.]+\n<v SPEAKER_0[01]>/);
  });

  it('the SDK’s known_speaker_names / known_speaker_references name a voice, as does a stored profile', async () => {
    // Other sentences of voice 2 (the conversation's second voice), as the caller recorded them.
    const other = synthesizeConversation({ seed: 91, speakers: 1, turns: 4, voices: [2] });
    const clip = readFileSync(
      encodeConversation({ ...other, pcm: other.pcm.subarray(0, 9 * 16_000) }, 'voice-2.wav'),
    );
    const client = new OpenAI({ baseURL: `${stack.edge}/v1`, apiKey: 'unused', maxRetries: 0 });
    const result = (await client.audio.transcriptions.create({
      file: await toFile(flac, 'two voices.flac', { type: 'audio/flac' }),
      model: 'whisper-1',
      response_format: 'diarized_json',
      language: 'en',
      known_speaker_names: ['bea'],
      known_speaker_references: [`data:audio/wav;base64,${clip.toString('base64')}`],
    })) as unknown as TranscriptionDiarized & { diarization: { backend: string } };
    expect(result.diarization.backend).toBe('acoustic');
    // (The generated model's few segments need not cover both voices; the turns below do.)
    const speakers = new Set(result.segments.map((s) => s.speaker));
    expect(speakers.has('bea')).toBe(true);
    for (const speaker of speakers) expect(['SPEAKER_00', 'bea']).toContain(speaker);
    const profileForm = new FormData();
    profileForm.append('name', 'Bea');
    profileForm.append('file', new File([clip], 'voice-2.wav', { type: 'audio/wav' }));
    const profile = (await (
      await fetch(`${stack.edge}/v1/speakers`, { method: 'POST', body: profileForm })
    ).json()) as { id: string };
    const rttm = await fetch(`${stack.edge}/v1/audio/diarization`, {
      method: 'POST',
      body: form({ response_format: 'rttm', 'known_speakers[]': profile.id }),
    });
    const turns = (await rttm.text())
      .trim()
      .split('\n')
      .map((line) => {
        const [, , , onset, duration, , , speaker] = line.split(' ');
        return { start: Number(onset), end: Number(onset) + Number(duration), speaker: speaker! };
      });
    expect(new Set(turns.map((t) => t.speaker))).toEqual(new Set(['SPEAKER_00', 'Bea']));
    // Bea is the second voice: named so, the turns score as the reference's.
    const named = turns.map((t) => ({ ...t, speaker: t.speaker === 'Bea' ? 'voice_1' : 'voice_0' }));
    expect(diarizationErrorRate(conversation.reference, named).der).toBeLessThan(0.1);
  });
});
