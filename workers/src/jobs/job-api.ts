import { z } from 'zod';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { jobNameSchema, listQuerySchema } from './job-routes.js';
import { jobId, jobResultJson, jobSchema } from './job-types.js';

const jobWithResult = jobSchema
  .extend({
    result: z.union([jobResultJson, z.string()]).optional().meta({
      description:
        'The latest revision in the job’s format: JSON formats as objects, text formats as strings',
    }),
  })
  .meta({ id: 'JobWithResult' });

/** The job routes (job-routes.ts) as the OpenAPI document describes them. */
export const jobApi: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/jobs',
    operationId: 'listJobs',
    tags: ['Jobs'],
    summary: 'The caller’s jobs, newest first',
    params: { query: listQuerySchema },
    responses: {
      200: {
        description: 'A page of jobs',
        content: {
          'application/json': z.object({
            object: z.literal('list'),
            data: z.array(jobSchema),
            first_id: z.string().nullable(),
            last_id: z.string().nullable(),
            has_more: z.boolean(),
          }),
        },
      },
    },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}',
    operationId: 'getJob',
    tags: ['Jobs'],
    summary: 'A job: status, progress, and its result once it succeeded',
    params: { path: jobId },
    responses: { 200: { description: 'The job', content: { 'application/json': jobWithResult } } },
    errors: [401, 404],
  },
  {
    method: 'patch',
    path: '/v1/jobs/{id}',
    operationId: 'renameJob',
    tags: ['Jobs'],
    summary: 'Name a job (or clear its name with null)',
    params: { path: jobId },
    body: { content: { 'application/json': z.object({ name: jobNameSchema }) } },
    responses: { 200: { description: 'The job', content: { 'application/json': jobSchema } } },
    errors: [400, 401, 404, 413],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/audio',
    operationId: 'getJobAudio',
    tags: ['Jobs'],
    summary: 'A short-lived URL of the job’s audio (Range requests work)',
    params: { path: jobId },
    responses: {
      200: {
        description: 'Where to read it',
        content: {
          'application/json': z.object({
            object: z.literal('transcription.audio'),
            job_id: z.string(),
            url: z.string(),
            expires_at: z.number().int(),
            content_type: z.string().nullable(),
            bytes: z.number().int(),
          }),
        },
      },
    },
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/events',
    operationId: 'jobEvents',
    tags: ['Jobs'],
    summary: 'Server-sent events: everything so far, then live until the job ends',
    params: { path: jobId },
    responses: {
      200: {
        description:
          '`job.progress`, transcript events, then `job.succeeded` / `job.failed` / `job.cancelled`',
        content: { 'text/event-stream': z.string() },
      },
    },
    errors: [401, 404],
  },
  {
    method: 'delete',
    path: '/v1/jobs/{id}/result',
    operationId: 'deleteJobResult',
    tags: ['Jobs'],
    summary: 'Delete a finished job’s transcript (the record stays, with result_deleted_at)',
    params: { path: jobId },
    responses: {
      200: {
        description: 'Deleted',
        content: {
          'application/json': jobSchema.extend({ deleted: z.literal(true) }).meta({ id: 'DeletedJobResult' }),
        },
      },
    },
    errors: [401, 404, 409],
  },
  {
    method: 'delete',
    path: '/v1/jobs/{id}',
    operationId: 'cancelJob',
    tags: ['Jobs'],
    summary: 'Cancel a job (a running one stops on the GPU service too); purge=true deletes it whole',
    params: {
      path: jobId,
      query: z.object({
        purge: z.enum(['true', 'false', '1', '0']).optional().meta({
          description: 'Also delete its record, audio, result, revisions and exports',
        }),
      }),
    },
    responses: {
      200: {
        description: 'The job, or what a purge deleted',
        content: {
          'application/json': z.union([
            jobSchema,
            z.object({
              id: z.string(),
              object: z.literal('transcription.job'),
              deleted: z.literal(true),
              objects_deleted: z.number().int(),
            }),
          ]),
        },
      },
    },
    errors: [400, 401, 404],
  },
];
