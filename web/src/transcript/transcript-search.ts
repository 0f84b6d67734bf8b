export interface SearchMatch {
  segmentIndex: number;
  /** Character ranges of the match inside the segment's trimmed text, for highlighting. */
  ranges: Array<[start: number, end: number]>;
}

// Case- and accent-insensitive, so "cafe" finds "Café"; one UTF-16 unit in, one out, so ranges map back.
function fold(text: string): string {
  return text
    .split('')
    .map((ch) => ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().charAt(0) || ch)
    .join('');
}

/** Segments whose text contains `query`, with every occurrence's range. An empty query matches nothing. */
export function searchSegments(texts: readonly string[], query: string): SearchMatch[] {
  const needle = fold(query.trim());
  if (needle === '') return [];
  const matches: SearchMatch[] = [];
  texts.forEach((text, segmentIndex) => {
    const haystack = fold(text);
    const ranges: Array<[number, number]> = [];
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length]);
    }
    if (ranges.length > 0) matches.push({ segmentIndex, ranges });
  });
  return matches;
}
