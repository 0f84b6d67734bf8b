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

/**
 * Captions that follow edits: at once for a newly opened transcript (`owner` changed), then again once
 * typing pauses, not on every key.
 */
export class FollowingCaptions {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private owner: unknown;

  show(
    owner: unknown,
    player: HTMLMediaElement,
    transcript: Transcript,
    renames: Readonly<Record<string, string>>,
  ): void {
    clearTimeout(this.timer);
    if (this.owner !== owner) {
      this.owner = owner;
      setCaptions(player, transcript, renames);
    } else {
      this.timer = setTimeout(() => setCaptions(player, transcript, renames), 400);
    }
  }
}
