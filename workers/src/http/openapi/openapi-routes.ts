import { errorBodySchema } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../env.js';
import type { ApiOperation } from './api-operation.js';
import { type DocumentOptions, openApiDocument } from './openapi-document.js';

export const openApiOperation: ApiOperation = {
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  tags: ['Service'],
  summary: 'This document (OpenAPI 3.1); read it at /docs',
  auth: 'none',
  responses: {
    200: {
      description: 'The OpenAPI document',
      content: { 'application/json': z.record(z.string(), z.unknown()) },
    },
  },
};

const DESCRIPTION = [
  'An OpenAI-compatible speech-to-text API: a Cloudflare Worker in front of GPU services running Whisper.',
  'Errors use OpenAI’s shape `{"error": {"message", "type", "code", "param"}}` with the request’s id beside it',
  '(`request_id`, also the `x-request-id` header of every answer). Send your own `x-request-id` to trace a call',
  'through the GPU service’s logs, its job and its webhook.',
].join(' ');

/**
 * `GET /openapi.json`: built once per isolate from every route module's description (and the webhook
 * the jobs send), so what is served is what the code validates and answers.
 */
export function openApiRoutes(
  operations: ApiOperation[],
  webhooks: DocumentOptions['webhooks'],
): Hono<AppEnv> {
  let document: Record<string, unknown> | undefined;
  return new Hono<AppEnv>().get('/openapi.json', (c) => {
    document ??= openApiDocument([openApiOperation, ...operations], {
      title: 'whisper-edge',
      version: '0.1.0',
      description: DESCRIPTION,
      errorBody: errorBodySchema,
      ...(webhooks ? { webhooks } : {}),
    });
    return c.json(document);
  });
}
