import type { Segment } from '@whisper-edge/shared';

/** A job's finished segments in its object's storage, under keys that sort by segment id. */
const PREFIX = 'seg:';

/** Stores segments (an attempt's replace an earlier one's of the same id), in batches of 128 keys. */
export async function putSegments(
  storage: DurableObjectStorage,
  segments: readonly Segment[],
): Promise<void> {
  for (let i = 0; i < segments.length; i += 128) {
    const entries: Record<string, Segment> = {};
    for (const segment of segments.slice(i, i + 128))
      entries[`${PREFIX}${String(segment.id).padStart(8, '0')}`] = segment;
    await storage.put(entries);
  }
}

export async function deleteSegments(storage: DurableObjectStorage): Promise<void> {
  await storage.delete([...(await storage.list({ prefix: PREFIX })).keys()]);
}

export async function listSegments(storage: DurableObjectStorage): Promise<Segment[]> {
  return [...(await storage.list<Segment>({ prefix: PREFIX })).values()];
}
