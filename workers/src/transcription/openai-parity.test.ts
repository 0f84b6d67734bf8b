import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeResult, stubGpuService, stubHealth } from '../../test/gpu-stub.js';
import app from '../index.js';

const audio = new Uint8Array(1000).map((_, i) => i % 251);

afterEach(() => {
  vi.restoreAllMocks();
});

async function post(path: string, fields: Array<[string, string]>): Promise<Response> {
  const form = new FormData();
  form.append('file', new File([audio], 'a.wav'));
  for (const [k, v] of fields) form.append(k, v);
  return app.fetch(new Request(`http://edge.test${path}`, { method: 'POST', body: form }), env);
}

describe('OpenAI parity at the edge', () => {
  it('translations run the same pipeline with task translate and ignore language', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('translated')));
    const response = await post('/v1/audio/translations', [
      ['model', 'whisper-1'],
      ['language', 'fr'],
    ]);
    expect(await response.json()).toEqual({ text: 'translated', usage: { type: 'duration', seconds: 3 } });
    expect(gpu.calls[0]!.options).toEqual({ task: 'translate', model: 'whisper-1' });
  });

  it('accepts timestamp_granularities[] repeated, as the SDKs send it, and passes it on', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('w')));
    const response = await post('/v1/audio/transcriptions', [
      ['response_format', 'verbose_json'],
      ['timestamp_granularities[]', 'word'],
      ['timestamp_granularities[]', 'segment'],
    ]);
    expect(response.status).toBe(200);
    expect(gpu.calls[0]!.options.timestamp_granularities).toEqual(['word', 'segment']);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toHaveProperty('words');
    expect(body).toHaveProperty('segments');
  });

  it('refuses timestamp_granularities without verbose_json, and unknown values', async () => {
    stubGpuService(() => Response.json(fakeResult('x')));
    const notVerbose = await post('/v1/audio/transcriptions', [['timestamp_granularities[]', 'word']]);
    expect(notVerbose.status).toBe(400);
    const unknown = await post('/v1/audio/transcriptions', [
      ['response_format', 'verbose_json'],
      ['timestamp_granularities', 'syllable'],
    ]);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      "Invalid 'timestamp_granularities': 'syllable' is not one of segment, word",
    );
  });

  it('maps chunking_strategy (auto, a JSON server_vad object, or the SDK’s bracketed fields) onto VAD', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('x')));
    await post('/v1/audio/transcriptions', [['chunking_strategy', 'auto']]);
    expect(gpu.calls[0]!.options.vad).toBeUndefined();
    await post('/v1/audio/transcriptions', [
      [
        'chunking_strategy',
        '{"type":"server_vad","threshold":0.6,"prefix_padding_ms":300,"silence_duration_ms":700}',
      ],
    ]);
    expect(gpu.calls[1]!.options.vad).toEqual({
      threshold: 0.6,
      prefix_padding_ms: 300,
      silence_duration_ms: 700,
    });
    await post('/v1/audio/transcriptions', [
      ['chunking_strategy[type]', 'server_vad'],
      ['chunking_strategy[silence_duration_ms]', '250'],
    ]);
    expect(gpu.calls[2]!.options.vad).toEqual({ silence_duration_ms: 250 });
    for (const bad of [
      'manual',
      '{"type":"semantic"}',
      '{"type":"server_vad","threshold":2}',
      '{"type":"server_vad","x":1}',
    ]) {
      const response = await post('/v1/audio/transcriptions', [['chunking_strategy', bad]]);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { param: 'chunking_strategy', code: 'invalid_value' },
      });
    }
    expect(gpu.calls).toHaveLength(3);
  });

  it('puts keywords[] into the prompt as a glossary after the caller’s own prompt, within limits', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('x')));
    await post('/v1/audio/transcriptions', [
      ['prompt', 'A meeting about the edge.'],
      ['keywords[]', 'Cloudflare'],
      ['keywords[]', 'Durable Objects'],
      ['keywords[]', 'onnxruntime'],
    ]);
    expect(gpu.calls[0]!.options.prompt).toBe(
      'A meeting about the edge. Glossary: Cloudflare, Durable Objects, onnxruntime.',
    );
    await post('/v1/audio/transcriptions', [['keywords', '["Kenobi", "Grievous"]']]);
    expect(gpu.calls[1]!.options.prompt).toBe('Glossary: Kenobi, Grievous.');
    // A long prompt and a long glossary together stay within the prompt's 4000 characters, glossary kept.
    await post('/v1/audio/transcriptions', [
      ['prompt', 'x'.repeat(3990)],
      ['keywords', Array.from({ length: 100 }, (_, i) => `term-${i}`).join(',')],
    ]);
    expect(gpu.calls[2]!.options.prompt).toHaveLength(4000);
    expect(gpu.calls[2]!.options.prompt).toMatch(/Glossary: term-0, .* term-99\.$/);
    const many = await post('/v1/audio/transcriptions', [
      ['keywords', Array.from({ length: 101 }, (_, i) => `term${i}`).join(',')],
    ]);
    expect(many.status).toBe(400);
    expect(await many.json()).toMatchObject({ error: { param: 'keywords' } });
    expect(gpu.calls).toHaveLength(3);
  });

  it('shapes srt and vtt captions with max_line_chars / max_lines_per_cue / max_cue_seconds', async () => {
    const long = 'the quick brown fox jumps over the lazy dog and keeps on running far away';
    const gpu = stubGpuService(() => Response.json(fakeResult(long)));
    const srt = await post('/v1/audio/transcriptions', [
      ['response_format', 'srt'],
      ['max_line_chars', '20'],
      ['max_lines_per_cue', '1'],
    ]);
    expect(srt.status).toBe(200);
    const cues = (await srt.text()).trim().split('\n\n');
    expect(cues.length).toBeGreaterThan(3);
    for (const cue of cues) {
      const [, , ...lines] = cue.split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]!.length).toBeLessThanOrEqual(20);
    }
    const json = await post('/v1/audio/transcriptions', [['max_line_chars', '20']]);
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: { param: 'max_line_chars' } });
    const tiny = await post('/v1/audio/transcriptions', [
      ['response_format', 'vtt'],
      ['max_line_chars', '3'],
    ]);
    expect(tiny.status).toBe(400);
    expect(gpu.calls).toHaveLength(1);
  });

  it('takes a language by code or name and refuses unknown ones', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('x')));
    await post('/v1/audio/transcriptions', [['language', 'German']]);
    expect(gpu.calls[0]!.options.language).toBe('de');
    const bad = await post('/v1/audio/transcriptions', [['language', 'klingon']]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { param: 'language' } });
  });

  it('lists the served model and the whisper-1 alias', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () =>
      Response.json(
        stubHealth({
          model: 'onnx-community/whisper-base',
          models: [
            { id: 'onnx-community/whisper-base', loaded: true, device: 'cpu' },
            { id: 'onnx-community/whisper-large-v3-turbo', loaded: false, device: null },
          ],
        }),
      ),
    );
    const response = await app.fetch(new Request('http://edge.test/v1/models'), env);
    const body = (await response.json()) as { object: string; data: Array<{ id: string; object: string }> };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m.id)).toEqual([
      'whisper-1',
      'onnx-community/whisper-base',
      'onnx-community/whisper-large-v3-turbo',
    ]);
    const one = await app.fetch(new Request('http://edge.test/v1/models/onnx-community/whisper-base'), env);
    expect(await one.json()).toMatchObject({ id: 'onnx-community/whisper-base', object: 'model' });
    const missing = await app.fetch(new Request('http://edge.test/v1/models/gpt-4'), env);
    expect(missing.status).toBe(404);
  });
});
