export interface KnownPart {
  PartNumber: number;
  ETag: string;
}

/**
 * Parts this browser has stored, per multipart upload. Uppy resumes a paused upload from `listParts`
 * and has dropped its copy of each stored part's bytes, so the list must name every stored part or the
 * resume fails; the parts recorded here are that list.
 */
export class KnownParts {
  private readonly uploads = new Map<string, Map<number, KnownPart>>();

  record(uploadId: string, part: KnownPart): void {
    const parts = this.uploads.get(uploadId) ?? new Map<number, KnownPart>();
    this.uploads.set(uploadId, parts);
    parts.set(part.PartNumber, { PartNumber: part.PartNumber, ETag: part.ETag });
  }

  /** One entry per part number (the latest upload of a part wins), in part order. */
  list(uploadId: string): KnownPart[] {
    return [...(this.uploads.get(uploadId)?.values() ?? [])].sort((a, b) => a.PartNumber - b.PartNumber);
  }

  forget(uploadId: string): void {
    this.uploads.delete(uploadId);
  }
}
