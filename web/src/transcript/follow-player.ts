/**
 * Calls `onTime` with the player's position as it moves, until `signal` aborts: on timeupdate and
 * seeked, and every frame while it plays (timeupdate fires ~4 times a second: too coarse for words).
 */
export function followPlayer(
  player: HTMLMediaElement,
  onTime: (time: number) => void,
  signal: AbortSignal,
): void {
  const options = { signal };
  const now = () => onTime(player.currentTime);
  player.addEventListener('timeupdate', now, options);
  player.addEventListener('seeked', now, options);
  let frame = 0;
  const follow = () => {
    now();
    if (!player.paused && !signal.aborted) frame = requestAnimationFrame(follow);
  };
  player.addEventListener(
    'play',
    () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(follow);
    },
    options,
  );
}
