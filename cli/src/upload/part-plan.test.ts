import { describe, expect, it } from 'vitest';
import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-codes.js';
import { choosePartSize, MAX_PARTS, MIN_PART_SIZE, parseSize, partRanges } from './part-plan.js';

const MiB = 1024 * 1024;

describe('part plan', () => {
  it('cuts a file into equal parts and a shorter last one, covering every byte once', () => {
    const parts = partRanges(12 * MiB + 7, 5 * MiB);
    expect(parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(parts.map((p) => p.end - p.start)).toEqual([5 * MiB, 5 * MiB, 2 * MiB + 7]);
    for (const [i, part] of parts.entries()) expect(part.start).toBe(i === 0 ? 0 : parts[i - 1]!.end);
    expect(parts.at(-1)!.end).toBe(12 * MiB + 7);
  });

  it('grows the part size in whole MiB when a file would need more than 10,000 parts', () => {
    const size = 200 * 1024 * MiB;
    const partSize = choosePartSize(size, 8 * MiB);
    expect(partSize % MiB).toBe(0);
    expect(partRanges(size, partSize).length).toBeLessThanOrEqual(MAX_PARTS);
    expect(choosePartSize(100 * MiB, 8 * MiB)).toBe(8 * MiB);
  });

  it('refuses parts smaller than R2 accepts as a usage error', () => {
    let error: unknown;
    try {
      choosePartSize(100 * MiB, MIN_PART_SIZE - 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.usage);
  });

  it('reads sizes with binary and decimal units', () => {
    expect(parseSize('5MiB', '--x')).toBe(5 * MiB);
    expect(parseSize('5m', '--x')).toBe(5 * MiB);
    expect(parseSize('100MB', '--x')).toBe(100_000_000);
    expect(parseSize('1.5GiB', '--x')).toBe(1.5 * 1024 * MiB);
    expect(parseSize('5242880', '--x')).toBe(5 * MiB);
    expect(parseSize('0', '--x')).toBe(0);
    expect(() => parseSize('five', '--part-size')).toThrow(/--part-size takes a size/);
    expect(() => parseSize('-1MiB', '--part-size')).toThrow(CliError);
  });
});
