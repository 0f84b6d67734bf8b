/** R2 multipart parts must all be the same size (but the last) and at least 5 MiB. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface StreamUploadResult {
  key: string;
  size: number;
  etag: string;
  /** Hex SHA-256 of the stored bytes, computed as they streamed past. */
  sha256: string;
}

/**
 * Writes a stream of unknown length to R2 with memory bounded by one part: `R2Bucket.put` needs a
 * known length, so small bodies go in one put and anything larger becomes a multipart upload.
 */
export async function uploadStream(
  bucket: R2Bucket,
  key: string,
  chunks: AsyncIterable<Uint8Array>,
  options: {
    contentType?: string | undefined;
    partSize?: number;
    customMetadata?: Record<string, string>;
  } = {},
): Promise<StreamUploadResult> {
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  if (partSize < MIN_PART_SIZE) throw new RangeError(`part size must be at least ${MIN_PART_SIZE} bytes`);
  const putOptions = {
    ...(options.contentType ? { httpMetadata: { contentType: options.contentType } } : {}),
    ...(options.customMetadata ? { customMetadata: options.customMetadata } : {}),
  };
  // workerd's DigestStream hashes incrementally, so the checksum costs no extra buffering.
  const digest = new crypto.DigestStream('SHA-256');
  const hasher = digest.getWriter();
  // On failure the digest rejects; nobody awaits it then, so mark it handled up front.
  digest.digest.catch(() => undefined);

  let part = new Uint8Array(partSize);
  let filled = 0;
  let size = 0;
  let upload: R2MultipartUpload | undefined;
  const uploaded: R2UploadedPart[] = [];

  const flush = async () => {
    upload ??= await bucket.createMultipartUpload(key, putOptions);
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
      await hasher.write(chunk);
    }
    await hasher.close();
    const sha256 = toHex(await digest.digest);
    if (!upload) {
      const object = await bucket.put(key, part.subarray(0, filled), putOptions);
      return { key, size, etag: object.etag, sha256 };
    }
    if (filled > 0) await flush();
    const object = await upload.complete(uploaded);
    return { key, size, etag: object.etag, sha256 };
  } catch (error) {
    // Nothing half-written may stay behind: an aborted upload leaves no object and frees its parts.
    await upload?.abort().catch(() => undefined);
    await hasher.abort(error).catch(() => undefined);
    throw error;
  }
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}
