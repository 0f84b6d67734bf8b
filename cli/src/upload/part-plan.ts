import { usageError } from '../errors/cli-error.js';

const MiB = 1024 * 1024;
/** R2's (and S3's) rules: every part but the last ≥ 5 MiB and of one size, at most 10,000 parts. */
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PARTS = 10_000;
export const DEFAULT_PART_SIZE = 8 * MiB;

export interface PartRange {
  partNumber: number;
  start: number;
  end: number;
}

/** The part size to use: the one asked for, grown (in whole MiB) when the file would need > 10,000 parts. */
export function choosePartSize(fileSize: number, wanted: number): number {
  if (wanted < MIN_PART_SIZE) throw usageError(`--part-size must be at least 5 MiB (R2's smallest part)`);
  const needed = Math.ceil(fileSize / MAX_PARTS);
  return needed > wanted ? Math.ceil(needed / MiB) * MiB : wanted;
}

export function partRanges(fileSize: number, partSize: number): PartRange[] {
  const parts: PartRange[] = [];
  for (let start = 0, partNumber = 1; start < fileSize; start += partSize, partNumber++) {
    parts.push({ partNumber, start, end: Math.min(fileSize, start + partSize) });
  }
  return parts;
}

/** `8MiB`, `5m`, `100MB`, `1.5GiB`, `5242880`: bytes. */
export function parseSize(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(text.trim());
  if (!match) throw usageError(`${option} takes a size such as 8MiB, 100MB or 5242880, got '${text}'`);
  const unit = (match[2] ?? 'b').toLowerCase();
  const scale: Record<string, number> = {
    b: 1,
    k: 1024,
    kib: 1024,
    kb: 1000,
    m: MiB,
    mib: MiB,
    mb: 1000 * 1000,
    g: 1024 * MiB,
    gib: 1024 * MiB,
    gb: 1000 * 1000 * 1000,
  };
  return Math.round(Number(match[1]) * scale[unit]!);
}
