/** A numeric [vars] entry: `0` is a value (e.g. no retry delay in tests), only absent/invalid falls back. */
export function numberVar(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
