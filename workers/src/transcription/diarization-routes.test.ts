import { env } from 'cloudflare:test';
import type { DiarizationResult } from '@whisper-edge/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubGpuService } from '../../test/gpu-stub.js';
import app from '../index.js';

const audio = new Uint8Array(4096).map((_, i) => (i * 5) % 256);

function post(fields: Record<string, string>, withFile = true): Promise<Response> {
  const form = new FormData();
  if (withFile) form.append('file', new File([audio], 'board meeting.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return Promise.resolve(
    app.fetch(new Request('http://edge.test/v1/audio/diarization', { method: 'POST', body: form }), env),
  );
}

// The GPU service cannot run in workerd; the stub checks the signature and answers like /internal/diarize.
const answer: DiarizationResult = {
  duration: 6,
  backend: 'acoustic',
  speakers: ['SPEAKER_00', 'SPEAKER_01'],
  turns: [
    { start: 0.5, end: 2, speaker: 'SPEAKER_00' },
    { start: 2.5, end: 5.25, speaker: 'SPEAKER_01' },
  ],
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('POST /v1/audio/diarization', () => {
  it('sends a signed /internal/diarize with the stored audio and the speaker options; answers JSON turns', async () => {
    const gpu = stubGpuService(() => Response.json(answer));
    const response = await post({ num_speakers: '2', diarization_backend: 'acoustic' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ task: 'diarize', ...answer });
    const call = gpu.calls[0]!;
    expect(call.signatureOk).toBe(true);
    expect(call.audio).toEqual(audio);
    expect(call.options).toEqual({ backend: 'acoustic', num_speakers: 2 });
  });

  it('answers RTTM named after the uploaded file', async () => {
    stubGpuService(() => Response.json(answer));
    const response = await post({ response_format: 'rttm' });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(
      'SPEAKER board_meeting 1 0.500 1.500 <NA> <NA> SPEAKER_00 <NA> <NA>\n' +
        'SPEAKER board_meeting 1 2.500 2.750 <NA> <NA> SPEAKER_01 <NA> <NA>\n',
    );
  });

  it('refuses bad parameters and missing audio with OpenAI-shaped 400s, without calling the GPU', async () => {
    const gpu = stubGpuService(() => Response.json(answer));
    for (const [fields, param] of [
      [{ response_format: 'srt' }, 'response_format'],
      [{ min_speakers: '5', max_speakers: '2' }, 'min_speakers'],
    ] as const) {
      const response = await post(fields);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { param, type: 'invalid_request_error' } });
    }
    const noAudio = await post({}, false);
    expect(noAudio.status).toBe(400);
    expect(gpu.calls).toHaveLength(0);
  });

  it('passes the GPU service’s refusal of an unavailable neural backend through', async () => {
    stubGpuService(() =>
      Response.json(
        {
          error: {
            message: 'diarization_backend=neural needs …',
            type: 'invalid_request_error',
            code: 'diarization_backend_unavailable',
            param: 'diarization_backend',
          },
        },
        { status: 400 },
      ),
    );
    const response = await post({ diarization_backend: 'neural' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'diarization_backend_unavailable' } });
  });
});
