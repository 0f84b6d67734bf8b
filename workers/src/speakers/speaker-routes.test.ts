import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import type { KnownSpeaker } from '@whisper-edge/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeResult, stubGpuService } from '../../test/gpu-stub.js';
import { wav } from '../../test/wav.js';
import app from '../index.js';

const keys = { API_KEYS: 'erin:erin-key-0123456789,fred:fred-key-0123456789' };
const erin = { authorization: 'Bearer erin-key-0123456789' };
const fred = { authorization: 'Bearer fred-key-0123456789' };

const dataUrl = (bytes: Uint8Array, type = 'audio/wav') =>
  `data:${type};base64,${btoa(String.fromCharCode(...bytes))}`;

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`http://edge.test${path}`, init), { ...env, ...keys }, ctx);
  const copy = new Response(await response.arrayBuffer(), response);
  await waitOnExecutionContext(ctx);
  return copy;
}

function createProfile(headers: Record<string, string>, name: string, clip = wav(3, 7)) {
  const body = new FormData();
  body.append('name', name);
  body.append('file', new File([clip], 'voice.wav', { type: 'audio/wav' }));
  return call('/v1/speakers', { method: 'POST', body, headers });
}

function transcribe(headers: Record<string, string>, fields: Array<[string, string]>) {
  const body = new FormData();
  body.append('file', new File([wav(4, 3)], 'call.wav', { type: 'audio/wav' }));
  for (const [k, v] of fields) body.append(k, v);
  return call('/v1/audio/transcriptions', { method: 'POST', body, headers });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('voice profiles: /v1/speakers', () => {
  it('stores, lists, shows and deletes a profile, per key', async () => {
    const created = await createProfile(erin, 'Erin Smith');
    expect(created.status).toBe(201);
    const profile = (await created.json()) as { id: string; name: string; object: string; bytes: number };
    expect(profile).toMatchObject({ object: 'speaker', name: 'Erin Smith', bytes: wav(3).length });
    expect(profile.id).toMatch(/^spk_[0-9a-f]{32}$/);

    const listed = (await (await call('/v1/speakers', { headers: erin })).json()) as {
      data: Array<{ id: string }>;
    };
    expect(listed.data.map((p) => p.id)).toContain(profile.id);
    // Another key sees neither the list entry nor the profile.
    const theirs = (await (await call('/v1/speakers', { headers: fred })).json()) as { data: unknown[] };
    expect(theirs.data).toEqual([]);
    expect((await call(`/v1/speakers/${profile.id}`, { headers: fred })).status).toBe(404);
    expect((await call(`/v1/speakers/${profile.id}`, { headers: erin })).status).toBe(200);

    expect((await call(`/v1/speakers/${profile.id}`, { method: 'DELETE', headers: fred })).status).toBe(404);
    expect((await call(`/v1/speakers/${profile.id}`, { method: 'DELETE', headers: erin })).status).toBe(200);
    expect((await call(`/v1/speakers/${profile.id}`, { headers: erin })).status).toBe(404);
  });

  it('takes JSON with a data URL too, and refuses what is not a voice clip', async () => {
    const json = (body: unknown) =>
      call('/v1/speakers', {
        method: 'POST',
        headers: { ...erin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await json({ name: 'ann', audio: dataUrl(wav(2.5, 5)) })).status).toBe(201);
    const notAudio = await json({
      name: 'ann',
      audio: dataUrl(new TextEncoder().encode('%PDF-1.4 not audio'), 'audio/wav'),
    });
    expect(notAudio.status).toBe(415);
    expect((await json({ name: 'ann', audio: 'data:audio/wav;base64,@@@' })).status).toBe(400);
    const reserved = await json({ name: 'SPEAKER_01', audio: dataUrl(wav(2.5)) });
    expect(reserved.status).toBe(400);
    expect(await reserved.json()).toMatchObject({ error: { param: 'name', type: 'invalid_request_error' } });
    expect((await createProfile(erin, 'big', wav(70))).status).toBe(413);
  });
});

describe('known speakers on /v1/audio/transcriptions', () => {
  it('sends clips and profiles to the GPU service as named, signed clip URLs, and drops the clips after', async () => {
    const profile = (await (await createProfile(erin, 'Dr. Who')).json()) as { id: string };
    const clip = wav(2.5, 11);
    let known: KnownSpeaker[] = [];
    const clipBytes: number[] = [];
    stubGpuService(async (gpuCall) => {
      known = (gpuCall.options.diarization as { known_speakers: KnownSpeaker[] }).known_speakers;
      for (const k of known)
        clipBytes.push((await (await app.fetch(new Request(k.audio_url), env)).arrayBuffer()).byteLength);
      return Response.json(fakeResult('hello'));
    });
    const response = await transcribe(erin, [
      ['known_speaker_names[]', 'agent'],
      ['known_speaker_references[]', dataUrl(clip)],
      ['known_speakers[]', profile.id],
      ['response_format', 'diarized_json'],
    ]);
    expect(response.status).toBe(200);
    expect(known.map((k) => k.name)).toEqual(['agent', 'Dr. Who']);
    expect(clipBytes).toEqual([clip.length, wav(3).length]);
    // The request's own clip served that request alone; the profile stays.
    const refs = await env.UPLOADS.list({ prefix: 'tenants/erin/speakers/refs/' });
    expect(refs.objects).toEqual([]);
    expect((await call(`/v1/speakers/${profile.id}`, { headers: erin })).status).toBe(200);
  });

  it('refuses mismatched names, unknown or foreign profiles and bad clips, keeping nothing', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('never')));
    const foreign = (await (await createProfile(fred, 'fred')).json()) as { id: string };
    const stored = async () =>
      (await env.UPLOADS.list({ prefix: 'tenants/erin/' })).objects.map((o) => o.key);
    const before = await stored();
    const cases: Array<[Array<[string, string]>, number, string]> = [
      [[['known_speaker_names[]', 'a']], 400, 'known_speaker_names'],
      [[['known_speakers[]', foreign.id]], 400, 'known_speakers'],
      [[['known_speakers[]', 'spk_nope']], 400, 'known_speakers'],
      [
        [
          ['known_speaker_names[]', 'a'],
          ['known_speaker_references[]', 'not a data url'],
        ],
        400,
        'known_speaker_references',
      ],
      [
        [
          ['known_speaker_names[]', 'a'],
          ['known_speaker_references[]', dataUrl(wav(2.5))],
          ['enable_diarization', 'false'],
        ],
        400,
        'known_speakers',
      ],
      [
        Array.from(
          { length: 5 },
          (_, i) => ['known_speaker_references[]', dataUrl(wav(2, i))] as [string, string],
        ),
        413,
        '',
      ],
    ];
    for (const [fields, status, param] of cases) {
      const response = await transcribe(erin, fields);
      expect(response.status, JSON.stringify(fields.map(([k]) => k))).toBe(status);
      const body = (await response.json()) as { error: { param: string | null } };
      if (param) expect(body.error.param).toBe(param);
    }
    expect(gpu.calls).toEqual([]);
    expect(await stored()).toEqual(before);
  });
});
