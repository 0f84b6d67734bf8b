import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Bindings } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { GpuUnreachableError, gpuHealth } from './gpu-client.js';
import { withGpu } from './with-gpu.js';

// A fixed creation time: the model list is a description, not a record of when anything happened.
const CREATED = 1_700_000_000;

function modelObject(id: string): z.infer<typeof modelSchema> {
  return { id, object: 'model', created: CREATED, owned_by: 'whisper-edge' };
}

/** What a GPU service of the pool runs; one that does not answer is reported and another asked. */
async function servedModels(env: Bindings): Promise<string[]> {
  return withGpu(env, async (gpu) => {
    const health = await gpuHealth(gpu.baseUrl);
    if (!health.reachable || !health.model) {
      throw new GpuUnreachableError(
        503,
        `GPU service unavailable: ${health.error ?? 'it reports no model'}`,
        {
          code: 'gpu_unavailable',
        },
      );
    }
    return [...new Set([health.model, ...(health.models ?? [])])];
  });
}

/** OpenAI's model list: what the GPU service runs, plus `whisper-1`, the alias OpenAI clients send. */
export const modelRoutes = new Hono<AppEnv>()
  .get('/v1/models', async (c) => {
    const ids = ['whisper-1', ...(await servedModels(c.env))];
    return c.json({ object: 'list' as const, data: ids.map(modelObject) });
  })
  .get('/v1/models/:id{.+}', async (c) => {
    const id = c.req.param('id');
    if (id === 'whisper-1' || (await servedModels(c.env)).includes(id)) return c.json(modelObject(id));
    throw new ApiError(404, `The model '${id}' does not exist`, { code: 'model_not_found', param: 'model' });
  });

export const modelSchema = z
  .object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() })
  .meta({ id: 'Model' });

export const modelApi: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/models',
    operationId: 'listModels',
    tags: ['Models'],
    summary: 'The models a request may name: whisper-1 (the default) and what the GPU pool serves',
    responses: {
      200: {
        description: 'OpenAI’s model list',
        content: { 'application/json': z.object({ object: z.literal('list'), data: z.array(modelSchema) }) },
      },
    },
    errors: [401, 503],
  },
  {
    method: 'get',
    path: '/v1/models/{id}',
    operationId: 'getModel',
    tags: ['Models'],
    summary: 'One model',
    params: { path: z.object({ id: z.string().meta({ description: 'May contain / (hub ids)' }) }) },
    responses: { 200: { description: 'The model', content: { 'application/json': modelSchema } } },
    errors: [401, 404, 503],
  },
];
