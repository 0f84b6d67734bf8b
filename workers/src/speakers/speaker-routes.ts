import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { requestScope } from '../http/request-scope.js';
import { readCappedBody } from '../uploads/intake/capped-body.js';
import { type AudioClip, checkClip, clipFromDataUrl, MAX_CLIP_BYTES } from './audio-clip.js';
import { checkSpeakerName } from './known-speaker-fields.js';
import { getVoice, listVoices, newProfileId, putClip, voicesPrefix } from './voice-store.js';

/** The clip and some multipart framing; the JSON form's base64 is 4/3 of the clip. */
const MAX_BODY = Math.ceil((MAX_CLIP_BYTES * 4) / 3) + 64 * 1024;

/** `name` and the clip, from multipart (`file`) or JSON (`audio` as a data URL). */
async function readProfile(request: Request): Promise<{ name: string; clip: AudioClip }> {
  const type = request.headers.get('content-type') ?? '';
  const body = await readCappedBody(request, MAX_BODY, 'The voice clip is too large (more than 2 MiB)');
  if (type.toLowerCase().startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData().catch(() => {
      throw new ApiError(400, 'Malformed multipart body', { code: 'invalid_request' });
    });
    const file = form.get('file');
    if (!(file instanceof File)) {
      throw new ApiError(400, "Expected a 'file' field with the voice clip", {
        param: 'file',
        code: 'invalid_value',
      });
    }
    const clip = await checkClip(new Uint8Array(await file.arrayBuffer()), file.type || undefined, 'file');
    return { name: checkSpeakerName(String(form.get('name') ?? ''), 'name'), clip };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new ApiError(400, 'Send multipart/form-data (name, file) or JSON {name, audio}', {
      code: 'invalid_request',
    });
  }
  const { name, audio } = (json ?? {}) as { name?: unknown; audio?: unknown };
  if (typeof audio !== 'string') {
    throw new ApiError(400, "Expected 'audio' as a data URL", { param: 'audio', code: 'invalid_value' });
  }
  return { name: checkSpeakerName(String(name ?? ''), 'name'), clip: await clipFromDataUrl(audio, 'audio') };
}

/**
 * Voice profiles: a named 2-10 s clip of one person, stored under the caller's root, that
 * `known_speakers[]=<id>` uses to label that person by name in any later recording. The clip is kept
 * rather than an embedding: it is embedded by whichever backend runs, so profiles survive model changes.
 */
export const speakerRoutes = new Hono<AppEnv>()
  .post('/v1/speakers', async (c) => {
    const scope = requestScope(c);
    const { name, clip } = await readProfile(c.req.raw);
    const id = newProfileId();
    await putClip(c.env.UPLOADS, `${voicesPrefix(scope)}${id}`, clip, { name });
    const { key: _key, ...profile } = await getVoice(scope, id);
    return c.json(profile, 201, { location: `/v1/speakers/${id}` });
  })
  .get('/v1/speakers', async (c) => {
    return c.json({ object: 'list', data: await listVoices(requestScope(c)) });
  })
  .get('/v1/speakers/:id', async (c) => {
    const { key: _key, ...profile } = await getVoice(requestScope(c), c.req.param('id'));
    return c.json(profile);
  })
  .delete('/v1/speakers/:id', async (c) => {
    const voice = await getVoice(requestScope(c), c.req.param('id'));
    await c.env.UPLOADS.delete(voice.key);
    return c.json({ id: voice.id, object: 'speaker', deleted: true });
  });

export const speakerSchema = z
  .object({
    id: z.string().meta({ description: '`spk_…`' }),
    object: z.literal('speaker'),
    name: z.string(),
    created_at: z.number().int(),
    bytes: z.number().int(),
    content_type: z.string(),
  })
  .meta({ id: 'Speaker' });

const speakerId = z.object({ id: z.string() });

export const speakerApi: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/speakers',
    operationId: 'createSpeaker',
    tags: ['Speakers'],
    summary: 'Store a voice profile: a named 2–10 s clip of one person',
    body: {
      content: {
        'multipart/form-data': z.object({ name: z.string().min(1).max(64), file: z.file() }),
        'application/json': z.object({
          name: z.string().min(1).max(64),
          audio: z.string().startsWith('data:').meta({ description: 'The clip as a data URL' }),
        }),
      },
    },
    responses: { 201: { description: 'Stored', content: { 'application/json': speakerSchema } } },
    errors: [400, 401, 413, 415],
  },
  {
    method: 'get',
    path: '/v1/speakers',
    operationId: 'listSpeakers',
    tags: ['Speakers'],
    summary: 'The caller’s voice profiles, newest first',
    responses: {
      200: {
        description: 'Profiles',
        content: {
          'application/json': z.object({ object: z.literal('list'), data: z.array(speakerSchema) }),
        },
      },
    },
    errors: [401],
  },
  {
    method: 'get',
    path: '/v1/speakers/{id}',
    operationId: 'getSpeaker',
    tags: ['Speakers'],
    summary: 'One voice profile',
    params: { path: speakerId },
    responses: { 200: { description: 'The profile', content: { 'application/json': speakerSchema } } },
    errors: [401, 404],
  },
  {
    method: 'delete',
    path: '/v1/speakers/{id}',
    operationId: 'deleteSpeaker',
    tags: ['Speakers'],
    summary: 'Delete a voice profile',
    params: { path: speakerId },
    responses: {
      200: {
        description: 'Deleted',
        content: {
          'application/json': z.object({
            id: z.string(),
            object: z.literal('speaker'),
            deleted: z.literal(true),
          }),
        },
      },
    },
    errors: [401, 404],
  },
];
