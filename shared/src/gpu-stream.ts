import { z } from 'zod';
import { exportOutcomeSchema, segmentSchema, transcriptionResultSchema } from './transcription.js';

/**
 * The GPU service's streamed answer (`stream: true`): one JSON object per line. Errors found before
 * any work starts (bad request, busy) are plain HTTP errors; later ones arrive as an `error` line.
 */
export const gpuStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    /** Source seconds transcribed so far. */
    processed_seconds: z.number().nonnegative(),
    /** The input's length when known (from its header, else estimated from bytes read); null before. */
    total_seconds: z.number().nonnegative().nullable(),
    /** Segments finished since the previous event. */
    segments: z.array(segmentSchema),
  }),
  /** Sent while a long batch runs, so the caller can tell a busy service from a dead connection. */
  z.object({ type: z.literal('heartbeat') }),
  z.object({
    type: z.literal('result'),
    result: transcriptionResultSchema,
    export: exportOutcomeSchema.optional(),
  }),
  z.object({
    type: z.literal('error'),
    status: z.number().int(),
    error: z.object({
      message: z.string(),
      type: z.string(),
      code: z.string().nullable(),
      param: z.string().nullable(),
    }),
  }),
]);
export type GpuStreamEvent = z.infer<typeof gpuStreamEventSchema>;
