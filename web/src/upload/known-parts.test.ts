import { describe, expect, it } from 'vitest';
import { KnownParts } from './known-parts.js';

describe('KnownParts', () => {
  it('lists the parts stored for one upload, in order, the latest ETag of a re-sent part winning', () => {
    const known = new KnownParts();
    known.record('u1', { PartNumber: 3, ETag: '"c"' });
    known.record('u1', { PartNumber: 1, ETag: '"a-first-try"' });
    known.record('u2', { PartNumber: 2, ETag: '"other upload"' });
    known.record('u1', { PartNumber: 1, ETag: '"a"' });
    expect(known.list('u1')).toEqual([
      { PartNumber: 1, ETag: '"a"' },
      { PartNumber: 3, ETag: '"c"' },
    ]);
  });

  it('knows nothing of an upload it forgot or never saw', () => {
    const known = new KnownParts();
    known.record('u1', { PartNumber: 1, ETag: '"a"' });
    known.forget('u1');
    expect(known.list('u1')).toEqual([]);
    expect(known.list('never')).toEqual([]);
  });
});
