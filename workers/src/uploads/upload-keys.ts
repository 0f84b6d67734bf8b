const EXTENSION = /\.([a-z0-9]{1,8})$/i;

function timestamp(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}_` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

/**
 * `uploads/<UTC timestamp>_<random>.<ext>`: never derived from the client's file name beyond a short
 * alphanumeric extension, so names cannot traverse prefixes or collide.
 */
export function newUploadKey(
  extOrName: string | undefined,
  now: Date = new Date(),
  prefix = 'uploads/',
): string {
  const random = crypto.randomUUID().replace(/-/g, '').slice(0, 12);
  const name = extOrName?.includes('.') ? extOrName : `.${extOrName ?? ''}`;
  const ext = EXTENSION.exec(name)?.[1]?.toLowerCase();
  return `${prefix}${timestamp(now)}_${random}${ext ? `.${ext}` : ''}`;
}
