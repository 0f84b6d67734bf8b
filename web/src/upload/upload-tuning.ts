const MiB = 1024 * 1024;
/** R2 (like S3) needs parts of at least 5 MiB, all the same size but the last, and at most 10,000 of them. */
export const MIN_PART_BYTES = 5 * MiB;
const MAX_PARTS = 10_000;
/** The GPU service's default MAX_AUDIO_BYTES: anything larger would upload and then fail to transcribe. */
export const MAX_FILE_BYTES = 2 * 1024 * MiB;

export interface UploadTuning {
  /** Files larger than this go multipart (resumable, parallel parts); smaller ones use one pre-signed PUT. */
  multipartOverBytes: number;
  partBytes: number;
}

/**
 * Defaults follow Uppy's advice (multipart beyond 100 MiB). `?multipart_over_mib=0&part_mib=5` on the page's
 * URL overrides them, so the multipart path can be exercised with small files.
 */
export function uploadTuning(search: string): UploadTuning {
  const params = new URLSearchParams(search);
  const mib = (name: string, fallback: number, min: number) => {
    const value = Number(params.get(name));
    return params.has(name) && Number.isFinite(value) && value >= min ? value * MiB : fallback;
  };
  return {
    multipartOverBytes: mib('multipart_over_mib', 100 * MiB, 0),
    partBytes: Math.round(mib('part_mib', 8 * MiB, 5)),
  };
}

/** A part size that keeps a file within 10,000 parts, in whole MiB, never below the chosen size. */
export function partSizeFor(fileBytes: number, tuning: UploadTuning): number {
  const needed = Math.ceil(fileBytes / MAX_PARTS / MiB) * MiB;
  return Math.max(tuning.partBytes, needed, MIN_PART_BYTES);
}
