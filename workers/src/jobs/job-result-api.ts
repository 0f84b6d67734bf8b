import { captionOptionsSchema, responseFormats, transcriptionResultSchema } from '@whisper-edge/shared';
import { z } from 'zod';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { granularitiesSchema } from '../transcription/transcription-params.js';
import { REVISION_HEADER } from './job-result-routes.js';
import { jobId, jobResultJson, jobSchema } from './job-types.js';

const revisionSchema = z
  .object({
    object: z.literal('transcription.revision'),
    job_id: z.string(),
    revision: z.number().int(),
    original: z.boolean(),
    created_at: z.number().int(),
    bytes: z.number().int().optional(),
  })
  .meta({ id: 'Revision' });
const revisionHeader = { [REVISION_HEADER]: { description: 'The revision served (0 = the original)' } };
const revisionQuery = z
  .string()
  .optional()
  .meta({ description: '`latest` (default), `original` or a revision number' });

/** The job result routes (job-result-routes.ts) as the OpenAPI document describes them. */
export const jobResultApi: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/jobs/{id}/result',
    operationId: 'getJobResult',
    tags: ['Jobs'],
    summary: 'A finished job’s result in any format, rendered from its stored result (no rerun)',
    params: {
      path: jobId,
      query: z.object({
        response_format: z.enum(responseFormats).optional().meta({ description: 'Default: the job’s own' }),
        'timestamp_granularities[]': granularitiesSchema.optional(),
        ...captionOptionsSchema.shape,
        revision: revisionQuery,
      }),
    },
    responses: {
      200: {
        description: 'The result',
        headers: revisionHeader,
        content: { 'application/json': jobResultJson, 'text/plain': z.string(), 'text/vtt': z.string() },
      },
    },
    errors: [400, 401, 404, 409, 410],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/result/revisions',
    operationId: 'listJobRevisions',
    tags: ['Jobs'],
    summary: 'The result’s revisions, newest first (0 is what the model produced)',
    params: { path: jobId },
    responses: {
      200: {
        description: 'Revisions',
        content: {
          'application/json': z.object({
            object: z.literal('list'),
            data: z.array(revisionSchema),
            latest: z.number().int(),
          }),
        },
      },
    },
    errors: [401, 404, 409, 410],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/result/revisions/{revision}',
    operationId: 'getJobRevision',
    tags: ['Jobs'],
    summary: 'The canonical result of one revision, as an editor loads it',
    params: { path: jobId.extend({ revision: revisionQuery.unwrap() }) },
    responses: {
      200: {
        description: 'The canonical result',
        headers: revisionHeader,
        content: { 'application/json': transcriptionResultSchema },
      },
    },
    errors: [400, 401, 404, 409, 410],
  },
  {
    method: 'post',
    path: '/v1/jobs/{id}/result/revisions',
    operationId: 'createJobRevision',
    tags: ['Jobs'],
    summary: 'Save an edited result as a new revision (text, timing, speakers; the words stay the model’s)',
    params: {
      path: jobId,
      query: z.object({
        base_revision: z
          .string()
          .optional()
          .meta({ description: 'The revision the edit started from: a newer one answers 409' }),
      }),
    },
    body: { content: { 'application/json': transcriptionResultSchema } },
    responses: {
      201: {
        description: 'Saved',
        headers: revisionHeader,
        content: {
          'application/json': revisionSchema
            .extend({ job: jobSchema, export_error: z.string().optional() })
            .meta({ id: 'SavedRevision' }),
        },
      },
    },
    errors: [400, 401, 404, 409, 410, 413],
  },
];
