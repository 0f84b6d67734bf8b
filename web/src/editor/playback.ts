import type { EditorAction } from './shortcuts.js';

/** Playback speeds the slower/faster keys step through (transcribers slow down to catch words). */
export const PLAYBACK_RATES = [0.5, 0.6, 0.75, 0.9, 1, 1.25, 1.5, 1.75, 2] as const;

/** The next rate slower (-1) or faster (+1) than `current`, staying within the list. */
export function stepRate(current: number, direction: 1 | -1): number {
  if (direction === 1) return PLAYBACK_RATES.find((r) => r > current + 1e-9) ?? PLAYBACK_RATES.at(-1)!;
  return [...PLAYBACK_RATES].reverse().find((r) => r < current - 1e-9) ?? PLAYBACK_RATES[0];
}

/** Where "back" lands: `seconds` earlier, never before the start. */
export function backBy(current: number, seconds = 5): number {
  return Math.max(0, current - seconds);
}

/**
 * The player's own keys: play/pause, back and forward 5 s, slower and faster. Answers whether
 * `action` was one of them.
 */
export function playerAction(
  player: HTMLMediaElement,
  action: EditorAction,
  seek: (time: number) => void,
): boolean {
  switch (action) {
    case 'play-pause':
      if (player.paused) void player.play().catch(() => undefined);
      else player.pause();
      return true;
    case 'back':
      seek(backBy(player.currentTime, 5));
      return true;
    case 'forward':
      seek(Math.min(player.duration || Number.POSITIVE_INFINITY, player.currentTime + 5));
      return true;
    case 'slower':
    case 'faster':
      player.playbackRate = stepRate(player.playbackRate, action === 'faster' ? 1 : -1);
      return true;
    default:
      return false;
  }
}
