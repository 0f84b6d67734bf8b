import { ApiError } from '@whisper-edge/shared';
import { z } from 'zod';
import type { LedgerPart } from '../storage/part-ledger.js';

/** What the multipart upload routes accept: bodies, part numbers and sizes, upload ids. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

export const createSchema = z.object({
  filename: z.string().max(1024).optional(),
  type: z.string().max(255).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const completeSchema = z.object({
  parts: z
    .array(z.object({ PartNumber: z.number().int().min(1).max(MAX_PARTS), ETag: z.string().min(1) }))
    .min(1)
    .max(MAX_PARTS),
});

export function invalid(message: string, param?: string): ApiError {
  return new ApiError(400, message, { code: 'invalid_upload', ...(param ? { param } : {}) });
}

/** R2 accepts a multipart upload only if every part but the last has the same size, ≥ 5 MiB. */
export function checkPartSizes(parts: LedgerPart[]): void {
  const sorted = [...parts].sort((a, b) => a.PartNumber - b.PartNumber);
  const first = sorted[0];
  if (!first) return;
  for (const [index, part] of sorted.entries()) {
    if (part.PartNumber !== index + 1) throw invalid(`Part ${index + 1} is missing`, 'parts');
    const last = index === sorted.length - 1;
    if (!last && part.Size !== first.Size) {
      throw invalid(
        `All parts except the last must be the same size: part ${part.PartNumber} is ${part.Size} bytes, part 1 is ${first.Size}`,
        'parts',
      );
    }
    if (!last && part.Size < MIN_PART_SIZE) {
      throw invalid(
        `Part ${part.PartNumber} is ${part.Size} bytes; parts but the last must be at least 5 MiB`,
        'parts',
      );
    }
    if (last && part.Size > first.Size) {
      throw invalid(`The last part (${part.Size} bytes) is larger than the others (${first.Size})`, 'parts');
    }
  }
}

/** R2's and S3's multipart upload ids are URL-safe tokens; anything else never reaches storage. */
export function uploadIdParam(value: string): string {
  if (!/^[A-Za-z0-9._~+/=-]{1,1024}$/.test(value)) {
    throw new ApiError(400, "Invalid 'uploadId'", { param: 'uploadId', code: 'invalid_upload_id' });
  }
  return value;
}
