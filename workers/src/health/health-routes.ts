import { Hono } from 'hono';
import { edgeConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import { gpuHealth } from '../gpu/gpu-client.js';

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
    status: healthy ? 'healthy' : 'degraded',
    gpu_available: gpu.reachable && gpu.device === 'cuda',
    // s3_enabled: credentials for S3 exports are configured; r2_presigned: R2's S3 API signs URLs.
    storage_clients: {
      r2_enabled: r2Enabled,
      s3_enabled: config.awsS3 !== undefined,
      r2_presigned: config.r2S3 !== undefined,
    },
    gpu_service: gpu,
    gpu_pool: { size: members.length, reachable: reachable.length },
  });
});
