import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { gpuHealth } from './gpu-client.js';

// A fixed creation time: the model list is a description, not a record of when anything happened.
const CREATED = 1_700_000_000;

function modelObject(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'whisper-edge' };
}

/** OpenAI's model list: what the GPU service runs, plus `whisper-1`, the alias OpenAI clients send. */
export const modelRoutes = new Hono<AppEnv>()
  .get('/v1/models', async (c) => {
    const gpu = await gpuHealth(c.env.GPU_SERVICE_URL);
    if (!gpu.reachable || !gpu.model) {
      throw new ApiError(503, `GPU service unavailable: ${gpu.error ?? 'it reports no model'}`, {
        code: 'gpu_unavailable',
      });
    }
    const ids = ['whisper-1', ...new Set([gpu.model, ...(gpu.models ?? [])])];
    return c.json({ object: 'list', data: ids.map(modelObject) });
  })
  .get('/v1/models/:id{.+}', async (c) => {
    const id = c.req.param('id');
    const gpu = await gpuHealth(c.env.GPU_SERVICE_URL);
    if (id === 'whisper-1' || id === gpu.model || gpu.models?.includes(id)) return c.json(modelObject(id));
    throw new ApiError(404, `The model '${id}' does not exist`, { code: 'model_not_found', param: 'model' });
  });
