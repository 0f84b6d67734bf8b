/** `s3://bucket/key`: the storage guide's address for a stored object, built and read only here. */
export function storageUrl(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

export function parseStorageUrl(url: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
}
