/** R2 multipart parts must all be the same size (but the last) and at least 5 MiB. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface StreamUploadResult {
  key: string;
  size: number;
  etag: string;
}

/**
 * Writes a stream of unknown length to R2 with memory bounded by one part: `R2Bucket.put` needs a
 * known length, so small bodies go in one put and anything larger becomes a multipart upload.
 */
export async function uploadStream(
  bucket: R2Bucket,
  key: string,
  chunks: AsyncIterable<Uint8Array>,
  options: { contentType?: string | undefined; partSize?: number } = {},
): Promise<StreamUploadResult> {
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  if (partSize < MIN_PART_SIZE) throw new RangeError(`part size must be at least ${MIN_PART_SIZE} bytes`);
  const httpMetadata = options.contentType ? { contentType: options.contentType } : undefined;

  let part = new Uint8Array(partSize);
  let filled = 0;
  let size = 0;
  let upload: R2MultipartUpload | undefined;
  const uploaded: R2UploadedPart[] = [];

  const flush = async () => {
    upload ??= await bucket.createMultipartUpload(key, httpMetadata ? { httpMetadata } : undefined);
    uploaded.push(await upload.uploadPart(uploaded.length + 1, part.subarray(0, filled)));
    part = new Uint8Array(partSize);
    filled = 0;
  };

  try {
    for await (const chunk of chunks) {
      size += chunk.length;
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(partSize - filled, chunk.length - offset);
        part.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === partSize) await flush();
      }
    }
    if (!upload) {
      const object = await bucket.put(
        key,
        part.subarray(0, filled),
        httpMetadata ? { httpMetadata } : undefined,
      );
      return { key, size, etag: object.etag };
    }
    if (filled > 0) await flush();
    const object = await upload.complete(uploaded);
    return { key, size, etag: object.etag };
  } catch (error) {
    // Nothing half-written may stay behind: an aborted upload leaves no object and frees its parts.
    await upload?.abort().catch(() => undefined);
    throw error;
  }
}
