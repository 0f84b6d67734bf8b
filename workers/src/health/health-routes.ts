import { gpuHealthSchema } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { edgeConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import { gpuHealth } from '../gpu/gpu-client.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';

async function r2Works(bucket: R2Bucket | undefined): Promise<boolean> {
  if (!bucket) return false;
  try {
    // A HEAD of a key that need not exist proves the binding answers without listing anything.
    await bucket.head('health-probe');
    return true;
  } catch {
    return false;
  }
}

export const healthRoutes = new Hono<AppEnv>().get('/health', async (c) => {
  const config = edgeConfig(c.env);
  const [members, r2Enabled] = await Promise.all([
    Promise.all(config.gpu.urls.map((url) => gpuHealth(url))),
    r2Works(c.env.UPLOADS),
  ]);
  // Serving needs one reachable GPU service; the pool's size says how much capacity is left.
  const reachable = members.filter((m) => m.reachable);
  const gpu = reachable.find((m) => m.device === 'cuda') ??
    reachable[0] ??
    members[0] ?? { reachable: false, error: 'no GPU service is configured' };
  const healthy = reachable.length > 0 && r2Enabled;
  return c.json({
    status: healthy ? ('healthy' as const) : ('degraded' as const),
    gpu_available: gpu.reachable && gpu.device === 'cuda',
    // s3_enabled: credentials for S3 exports are configured; r2_presigned: R2's S3 API signs URLs.
    storage_clients: {
      r2_enabled: r2Enabled,
      s3_enabled: config.awsS3 !== undefined,
      r2_presigned: config.r2S3 !== undefined,
    },
    gpu_service: gpu,
    gpu_pool: { size: members.length, reachable: reachable.length },
  } satisfies z.infer<typeof healthSchema>);
});

const gpuMemberSchema = z.object({
  reachable: z.boolean(),
  device: z.string().optional(),
  model: z.string().optional(),
  model_loaded: z.boolean().optional(),
  models: z.array(z.string()).optional(),
  load: gpuHealthSchema.shape.load.optional(),
  error: z.string().optional(),
});

export const healthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded']),
    gpu_available: z.boolean().meta({ description: 'A reachable GPU service runs on CUDA' }),
    storage_clients: z.object({
      r2_enabled: z.boolean(),
      s3_enabled: z.boolean(),
      r2_presigned: z.boolean(),
    }),
    gpu_service: gpuMemberSchema.meta({ description: 'One reachable member of the pool (a CUDA one first)' }),
    gpu_pool: z.object({ size: z.number().int(), reachable: z.number().int() }),
  })
  .meta({ id: 'Health' });

export const healthApi: ApiOperation[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    tags: ['Service'],
    summary: 'Health of the edge, its bucket and its GPU pool',
    auth: 'none',
    responses: {
      200: {
        description: 'Health (degraded when no GPU service or R2 answers)',
        content: { 'application/json': healthSchema },
      },
    },
  },
];
