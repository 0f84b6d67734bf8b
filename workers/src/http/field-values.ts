import { ApiError } from '@whisper-edge/shared';
import { z } from 'zod';

const TRUE_WORDS = ['true', '1', 'yes', 'on'] as const;
const FALSE_WORDS = ['false', '0', 'no', 'off'] as const;

/** A flag field as sent: a JSON boolean, or the spellings HTML forms and curl users send (any case). */
export const formFlagSchema = z
  .union([z.boolean(), z.enum([...TRUE_WORDS, ...FALSE_WORDS])])
  .meta({ description: 'true or false (also 1/0, yes/no, on/off, any case)' });

/** A form field meant as a flag: the spellings HTML forms and curl users send, anything else a 400. */
export function parseBoolean(value: string | undefined, param: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = formFlagSchema.safeParse(value.trim().toLowerCase());
  if (!parsed.success) {
    throw new ApiError(400, `Invalid '${param}': expected true or false`, { param, code: 'invalid_value' });
  }
  return (TRUE_WORDS as readonly unknown[]).includes(parsed.data);
}
