import type { Transcript } from '../transcript/transcript.js';
import { renderExport } from './render-export.js';

/** Gives the player the transcript as its WebVTT captions track (with the reader's speaker names). */
export function setCaptions(
  player: HTMLMediaElement,
  transcript: Transcript,
  renames: Readonly<Record<string, string>>,
): void {
  const track = player.querySelector('track');
  if (!track) return;
  if (track.src.startsWith('blob:')) URL.revokeObjectURL(track.src);
  const { body } = renderExport(transcript, 'vtt', { renames });
  track.src = URL.createObjectURL(new Blob([body], { type: 'text/vtt' }));
}
