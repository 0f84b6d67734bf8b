export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const [h, m, sec] = hms.map((n) => String(n).padStart(2, '0'));
  return hms[0] ? `${h}:${m}:${sec}` : `${m}:${sec}`;
}
