import { z } from 'zod';

/** The GPU service's `GET /health`: written by the GPU service, read by the edge's pool and /health. */
export const gpuHealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  /** The default model. */
  model: z.string(),
  model_loaded: z.boolean(),
  device: z.string().nullable(),
  model_error: z.string().optional(),
  /** Every model the service may run, the default first. */
  models: z.array(z.object({ id: z.string(), loaded: z.boolean(), device: z.string().nullable() })),
  /** Admitted and waiting work, and the service's limits: what the edge's pool balances on. */
  load: z.object({
    in_flight: z.number().int().nonnegative(),
    queued: z.number().int().nonnegative(),
    max_concurrent: z.number().int().positive(),
    max_queued: z.number().int().nonnegative(),
  }),
  /** Live transcription sessions open, and the service's cap on them. */
  realtime: z
    .object({ sessions: z.number().int().nonnegative(), max_sessions: z.number().int().nonnegative() })
    .optional(),
  versions: z.record(z.string(), z.string().nullable()),
});
export type GpuHealthBody = z.infer<typeof gpuHealthSchema>;
