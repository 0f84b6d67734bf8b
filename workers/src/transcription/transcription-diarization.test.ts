import { env } from 'cloudflare:test';
import type { TranscribeResponse } from '@whisper-edge/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubGpuService } from '../../test/gpu-stub.js';
import app from '../index.js';

const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

function post(fields: Record<string, string>): Promise<Response> {
  const form = new FormData();
  form.append('file', new File([audio], 'call.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return Promise.resolve(
    app.fetch(new Request('http://edge.test/v1/audio/transcriptions', { method: 'POST', body: form }), env),
  );
}

// The GPU service cannot run in workerd: the stub answers with what a diarized GPU result looks like.
const diarized: TranscribeResponse = {
  result: {
    task: 'transcribe',
    text: 'Hi. Hello.',
    language: 'en',
    duration: 3,
    model: 'stub',
    segments: [
      { id: 0, start: 0, end: 1, text: ' Hi.', speaker: 'SPEAKER_00' },
      { id: 1, start: 1.5, end: 3, text: ' Hello.', speaker: 'SPEAKER_01' },
    ],
    diarization: { backend: 'acoustic' },
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('diarization parameters on /v1/audio/transcriptions', () => {
  it('passes enable_diarization and the speaker counts to the GPU service', async () => {
    const gpu = stubGpuService(() => Response.json(diarized));
    const response = await post({
      enable_diarization: 'true',
      min_speakers: '2',
      max_speakers: '4',
      diarization_backend: 'acoustic',
      response_format: 'text',
    });
    expect(response.status).toBe(200);
    expect(gpu.calls[0]!.options.diarization).toEqual({
      backend: 'acoustic',
      min_speakers: 2,
      max_speakers: 4,
    });
    expect(await response.text()).toBe('SPEAKER_00: Hi.\nSPEAKER_01: Hello.\n');
    expect(response.headers.get('x-diarization-backend')).toBe('acoustic');
  });

  it('diarized_json turns diarization on by itself and answers in OpenAI’s shape', async () => {
    const gpu = stubGpuService(() => Response.json(diarized));
    const response = await post({ response_format: 'diarized_json', num_speakers: '2' });
    expect(response.status).toBe(200);
    expect(gpu.calls[0]!.options.diarization).toEqual({ num_speakers: 2 });
    const body = (await response.json()) as {
      segments: Array<Record<string, unknown>>;
      diarization: unknown;
    };
    expect(body.diarization).toEqual({ backend: 'acoustic' });
    expect(body.segments[1]).toEqual({
      type: 'transcript.text.segment',
      id: 'seg_1',
      start: 1.5,
      end: 3,
      text: 'Hello.',
      speaker: 'SPEAKER_01',
    });
  });

  it('sends no diarization options when not asked for', async () => {
    const gpu = stubGpuService(() => Response.json(diarized));
    await post({ response_format: 'json' });
    expect(gpu.calls[0]!.options.diarization).toBeUndefined();
  });

  it.each([
    [{ enable_diarization: 'true', num_speakers: '0' }, 'num_speakers'],
    [{ enable_diarization: 'true', max_speakers: 'many' }, 'max_speakers'],
    [{ enable_diarization: 'true', min_speakers: '3', max_speakers: '2' }, 'min_speakers'],
    [{ enable_diarization: 'true', num_speakers: '2', max_speakers: '3' }, 'num_speakers'],
    [{ enable_diarization: 'true', diarization_backend: 'magic' }, 'diarization_backend'],
    [{ enable_diarization: 'maybe' }, 'enable_diarization'],
    [{ num_speakers: '2' }, 'num_speakers'],
    [{ enable_diarization: 'false', response_format: 'diarized_json' }, 'response_format'],
  ])('refuses %o with a 400 naming %s, before calling the GPU service', async (fields, param) => {
    const gpu = stubGpuService(() => Response.json(diarized));
    const response = await post(fields);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; type: string } };
    expect(body.error.param).toBe(param);
    expect(body.error.type).toBe('invalid_request_error');
    expect(gpu.calls).toHaveLength(0);
  });
});
