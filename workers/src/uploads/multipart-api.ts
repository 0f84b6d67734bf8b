import { z } from 'zod';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { completeSchema, createSchema, MAX_PARTS } from './multipart-checks.js';

const keyQuery = z.object({
  key: z.string().meta({ description: 'The upload’s key, as returned when it was created' }),
});
const uploadIdPath = z.object({ uploadId: z.string().max(1024) });
const signedPutSchema = z
  .object({
    method: z.literal('PUT'),
    url: z.string().meta({ description: 'Pre-signed PUT: R2’s S3 API, or the Worker’s signed object route' }),
    key: z.string(),
    bucket: z.string(),
    storage_url: z.string(),
    headers: z.record(z.string(), z.string()),
    expires_at: z.string().meta({ description: 'ISO 8601' }),
    direct_to_r2: z.boolean(),
  })
  .meta({ id: 'SignedPut' });
const partSchema = z.object({ PartNumber: z.number().int(), Size: z.number().int(), ETag: z.string() });

/** The multipart upload routes (multipart-routes.ts) as the OpenAPI document describes them. */
export const multipartUploadApi: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/uploads/presign',
    operationId: 'presignUpload',
    tags: ['Uploads'],
    summary: 'A pre-signed PUT for one file, straight to R2',
    body: { required: false, content: { 'application/json': createSchema } },
    responses: {
      200: { description: 'Where to PUT the file', content: { 'application/json': signedPutSchema } },
    },
    errors: [400, 401, 413],
  },
  {
    method: 'get',
    path: '/v1/uploads/s3/params',
    operationId: 'uploadParameters',
    tags: ['Uploads'],
    summary: 'Uppy’s getUploadParameters: a pre-signed single PUT',
    params: { query: z.object({ filename: z.string().optional(), type: z.string().optional() }) },
    responses: {
      200: {
        description: 'Where to PUT the file',
        content: {
          'application/json': z.object({
            method: z.literal('PUT'),
            url: z.string(),
            fields: z.object({}),
            headers: z.record(z.string(), z.string()),
            key: z.string(),
          }),
        },
      },
    },
    errors: [401],
  },
  {
    method: 'post',
    path: '/v1/uploads/s3/multipart',
    operationId: 'createMultipartUpload',
    tags: ['Uploads'],
    summary: 'Start a multipart upload (Uppy’s createMultipartUpload)',
    body: { required: false, content: { 'application/json': createSchema } },
    responses: {
      200: {
        description: 'The upload',
        content: { 'application/json': z.object({ key: z.string(), uploadId: z.string() }) },
      },
    },
    errors: [400, 401, 413],
  },
  {
    method: 'get',
    path: '/v1/uploads/s3/multipart/{uploadId}/batch',
    operationId: 'signParts',
    tags: ['Uploads'],
    summary: 'Pre-signed PUT URLs for several parts',
    params: {
      path: uploadIdPath,
      query: keyQuery.extend({ partNumbers: z.string().meta({ description: 'Comma-separated, 1–10000' }) }),
    },
    responses: {
      200: {
        description: 'One URL per part number',
        content: { 'application/json': z.object({ presignedUrls: z.record(z.string(), z.string()) }) },
      },
    },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/v1/uploads/s3/multipart/{uploadId}/{partNumber}',
    operationId: 'signPart',
    tags: ['Uploads'],
    summary: 'A pre-signed PUT URL for one part',
    params: {
      path: uploadIdPath.extend({ partNumber: z.number().int().min(1).max(MAX_PARTS) }),
      query: keyQuery,
    },
    responses: {
      200: {
        description: 'Where to PUT the part',
        content: { 'application/json': z.object({ url: z.string(), expires: z.number().int() }) },
      },
    },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/v1/uploads/s3/multipart/{uploadId}',
    operationId: 'listParts',
    tags: ['Uploads'],
    summary: 'The parts already stored (to resume)',
    params: { path: uploadIdPath, query: keyQuery },
    responses: { 200: { description: 'Stored parts', content: { 'application/json': z.array(partSchema) } } },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/v1/uploads/s3/multipart/{uploadId}/complete',
    operationId: 'completeMultipartUpload',
    tags: ['Uploads'],
    summary: 'Complete a multipart upload (its bytes are checked to be audio or video)',
    params: { path: uploadIdPath, query: keyQuery },
    body: { content: { 'application/json': completeSchema } },
    responses: {
      200: {
        description: 'The stored object',
        content: {
          'application/json': z.object({
            location: z.string(),
            key: z.string(),
            bucket: z.string(),
            storage_url: z.string(),
            file_size: z.number().int(),
          }),
        },
      },
    },
    errors: [400, 401, 403, 413, 415],
  },
  {
    method: 'delete',
    path: '/v1/uploads/s3/multipart/{uploadId}',
    operationId: 'abortMultipartUpload',
    tags: ['Uploads'],
    summary: 'Abort a multipart upload',
    params: { path: uploadIdPath, query: keyQuery },
    responses: { 200: { description: 'Aborted', content: { 'application/json': z.object({}) } } },
    errors: [400, 401, 403],
  },
];
