/**
 * Speaker colours and labels. Colours come from a fixed palette in order of first appearance, so the
 * same transcript always looks the same; each reaches 4.5:1 contrast on white as text (WCAG AA).
 */
export const SPEAKER_COLOURS = [
  '#1f5fae',
  '#b3261e',
  '#1e7b34',
  '#7b3fa0',
  '#a34f00',
  '#006f75',
  '#8a3160',
  '#4d5b00',
] as const;

export interface Speaker {
  id: string;
  label: string;
  colour: string;
}

/** `SPEAKER_00` → `Speaker 1`; other ids are shown as they are. */
export function defaultSpeakerLabel(id: string): string {
  const match = /^SPEAKER_(\d+)$/.exec(id);
  return match ? `Speaker ${Number(match[1]) + 1}` : id;
}

export function speakersOf(
  segments: ReadonlyArray<{ speaker?: string | undefined }>,
  renames: Readonly<Record<string, string>> = {},
): Speaker[] {
  const speakers: Speaker[] = [];
  const seen = new Set<string>();
  for (const { speaker } of segments) {
    if (!speaker || seen.has(speaker)) continue;
    seen.add(speaker);
    speakers.push({
      id: speaker,
      label: renames[speaker]?.trim() || defaultSpeakerLabel(speaker),
      colour: SPEAKER_COLOURS[speakers.length % SPEAKER_COLOURS.length]!,
    });
  }
  return speakers;
}
