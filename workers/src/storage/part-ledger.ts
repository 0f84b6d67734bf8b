/**
 * A record of the parts uploaded through the Worker's part route. The R2 binding cannot list the parts
 * of a multipart upload, and a resuming client needs exactly that, so each part leaves a small marker
 * object: one object per part, so concurrent part uploads never race on a shared record.
 */
export interface LedgerPart {
  PartNumber: number;
  Size: number;
  ETag: string;
}

const LEDGER_ROOT = '.multipart-ledger/';

function partKey(uploadId: string, partNumber: number): string {
  return `${LEDGER_ROOT}${uploadId}/${String(partNumber).padStart(5, '0')}`;
}

export async function recordPart(bucket: R2Bucket, uploadId: string, part: LedgerPart): Promise<void> {
  await bucket.put(partKey(uploadId, part.PartNumber), '', {
    customMetadata: { size: String(part.Size), etag: part.ETag },
  });
}

async function ledgerObjects(bucket: R2Bucket, uploadId: string): Promise<R2Object[]> {
  const objects: R2Object[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({
      prefix: `${LEDGER_ROOT}${uploadId}/`,
      include: ['customMetadata'],
      ...(cursor ? { cursor } : {}),
    });
    objects.push(...page.objects);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return objects;
}

export async function listParts(bucket: R2Bucket, uploadId: string): Promise<LedgerPart[]> {
  return (await ledgerObjects(bucket, uploadId))
    .map((object) => ({
      PartNumber: Number(object.key.slice(object.key.lastIndexOf('/') + 1)),
      Size: Number(object.customMetadata?.size ?? 0),
      ETag: object.customMetadata?.etag ?? '',
    }))
    .sort((a, b) => a.PartNumber - b.PartNumber);
}

export async function clearLedger(bucket: R2Bucket, uploadId: string): Promise<void> {
  const keys = (await ledgerObjects(bucket, uploadId)).map((o) => o.key);
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}
