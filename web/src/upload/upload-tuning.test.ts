import { describe, expect, it } from 'vitest';
import { MIN_PART_BYTES, partSizeFor, uploadTuning } from './upload-tuning.js';

const MiB = 1024 * 1024;

describe('uploadTuning', () => {
  it('defaults to multipart beyond 100 MiB with 8 MiB parts', () => {
    expect(uploadTuning('')).toEqual({ multipartOverBytes: 100 * MiB, partBytes: 8 * MiB });
  });

  it('takes overrides from the query string, refusing parts R2 would reject', () => {
    expect(uploadTuning('?multipart_over_mib=0&part_mib=5')).toEqual({
      multipartOverBytes: 0,
      partBytes: 5 * MiB,
    });
    expect(uploadTuning('?part_mib=1').partBytes).toBe(8 * MiB);
    expect(uploadTuning('?multipart_over_mib=abc').multipartOverBytes).toBe(100 * MiB);
  });
});

describe('partSizeFor', () => {
  it('uses the chosen size while the file fits in 10,000 parts', () => {
    expect(partSizeFor(12 * MiB, uploadTuning('?part_mib=5'))).toBe(MIN_PART_BYTES);
  });

  it('grows parts in whole MiB for files that would need more than 10,000', () => {
    const size = partSizeFor(100_000 * MiB, uploadTuning(''));
    expect(size).toBe(10 * MiB);
    expect(Math.ceil((100_000 * MiB) / size)).toBeLessThanOrEqual(10_000);
  });
});
