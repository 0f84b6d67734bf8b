import { ApiError, diarizationResultSchema, formatRttm, speakerTurnSchema } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { postToGpu } from '../gpu/gpu-client.js';
import { withGpu } from '../gpu/with-gpu.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { requestClipKeys, resolveKnownSpeakers } from '../speakers/known-speaker-fields.js';
import { recordUsage, timed } from '../usage/record-usage.js';
import { resolveAudioInput } from './audio-input.js';
import { receiveAudioRequest, withoutLeftovers } from './audio-request.js';
import { diarizationFormatSchema, parseSpeakerParams } from './diarization-params.js';
import { diarizeRequest } from './gpu-request.js';
import { diarizationFormSchema } from './transcription-form.js';

/** The RTTM file id: the uploaded file's name without extension, as scoring tools expect. */
function fileId(fields: Record<string, string>, filename: string | undefined): string {
  const name = filename ?? fields.storage_key?.split('/').pop() ?? 'audio';
  return name.replace(/\.[^.]+$/, '') || 'audio';
}

/**
 * `POST /v1/audio/diarization`: who spoke when, without a transcript. Takes audio like the
 * transcription endpoint (file, storage_key or s3_presigned_url) and answers turns as JSON or RTTM.
 */
export const diarizationRoutes = new Hono<AppEnv>().post('/v1/audio/diarization', async (c) => {
  const { scope, fields, file, stored } = await receiveAudioRequest(c);
  const prepared = await withoutLeftovers(c.env.UPLOADS, stored, async () => {
    const format = diarizationFormatSchema.safeParse(fields.response_format?.trim() || undefined);
    if (!format.success) {
      throw new ApiError(400, "Invalid 'response_format': expected 'json' or 'rttm'", {
        param: 'response_format',
        code: 'invalid_value',
      });
    }
    const { options } = parseSpeakerParams(fields);
    const input = await resolveAudioInput(fields, file, scope);
    return { format: format.data, options, input, knownSpeakers: await resolveKnownSpeakers(scope, fields) };
  });

  const request = diarizeRequest(
    prepared.input,
    prepared.options,
    scope.config.limits.sync,
    prepared.knownSpeakers,
  );
  const clips = requestClipKeys(fields);
  const { value: result, seconds } = await timed(() =>
    withGpu(
      c.env,
      (gpu) => postToGpu(gpu, '/internal/diarize', request, diarizationResultSchema),
      scope.tenant,
    ),
  ).finally(async () => {
    if (clips.length > 0) await c.env.UPLOADS.delete(clips);
  });
  await recordUsage(c.env, scope.tenant, { requests: 1, audioSeconds: result.duration, gpuSeconds: seconds });
  if (prepared.format === 'rttm') {
    return c.body(formatRttm(result.turns, fileId(fields, file?.filename)), 200, {
      'content-type': 'text/plain; charset=utf-8',
    });
  }
  return c.json({ task: 'diarize' as const, ...result } satisfies z.infer<typeof diarizationJsonSchema>);
});

export const diarizationJsonSchema = z
  .object({
    task: z.literal('diarize'),
    duration: z.number(),
    backend: z.enum(['acoustic', 'neural']),
    speakers: z.array(z.string()),
    turns: z.array(speakerTurnSchema),
  })
  .meta({ id: 'Diarization' });

export const diarizationApi: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/audio/diarization',
    operationId: 'createDiarization',
    tags: ['Audio'],
    summary: 'Who spoke when, without a transcript',
    body: {
      content: {
        'multipart/form-data': diarizationFormSchema,
        'application/x-www-form-urlencoded': diarizationFormSchema.omit({ file: true }),
        'application/json': diarizationFormSchema.omit({ file: true }),
      },
    },
    responses: {
      200: {
        description: 'Speaker turns as JSON, or NIST RTTM',
        content: {
          'application/json': diarizationJsonSchema,
          'text/plain': z.string().meta({
            description: 'RTTM: `SPEAKER <file> 1 <onset> <duration> <NA> <NA> <speaker> <NA> <NA>`',
          }),
        },
      },
    },
    errors: [400, 401, 403, 404, 413, 429, 503, 504],
  },
];
