import { ApiError } from '@whisper-edge/shared';

/** A form field meant as a flag: the spellings HTML forms and curl users send, anything else a 400. */
export function parseBoolean(value: string | undefined, param: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ApiError(400, `Invalid '${param}': expected true or false`, { param, code: 'invalid_value' });
}
