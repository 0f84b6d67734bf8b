export interface TimedSpan {
  start: number;
  end: number;
}

/**
 * The index of the span playing at `time` (start ≤ time < end), or -1 in a gap. Spans are sorted by
 * start; binary search keeps `timeupdate` cheap on hour-long transcripts with tens of thousands of words.
 */
export function findCueIndex(spans: readonly TimedSpan[], time: number): number {
  let low = 0;
  let high = spans.length - 1;
  let candidate = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (spans[mid]!.start <= time) {
      candidate = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  if (candidate === -1) return -1;
  const span = spans[candidate]!;
  // A zero-length span still counts at its own instant, so the last word of a segment can light up.
  return time < span.end || (span.start === span.end && time === span.start) ? candidate : -1;
}

/**
 * Words of a transcript grouped under the segment whose time range holds each word's midpoint; one on
 * a boundary stays with the segment ending there, as the GPU service assigns speakers.
 */
export function wordsBySegment<W extends TimedSpan>(
  segments: readonly TimedSpan[],
  words: readonly W[],
): W[][] {
  const groups: W[][] = segments.map(() => []);
  let segmentIndex = 0;
  for (const word of words) {
    const middle = (word.start + word.end) / 2;
    while (segmentIndex < segments.length - 1 && middle > segments[segmentIndex]!.end) segmentIndex++;
    groups[segmentIndex]?.push(word);
  }
  return groups;
}
