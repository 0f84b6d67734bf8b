import { ApiError } from '@whisper-edge/shared';

/** Every field of a request together, whatever its encoding: far above any real request's options. */
export const MAX_FIELD_BYTES = 256 * 1024;
export const MAX_FIELDS = 200;

function tooLarge(message: string): ApiError {
  return new ApiError(413, message, { code: 'fields_too_large' });
}

/**
 * Collects a request's text fields. Repeated fields (`timestamp_granularities[]`) are kept as a
 * comma-separated list; the totals are capped so thousands of repeats cannot exhaust the isolate's
 * memory; names every object inherits (`constructor`, `__proto__`) are plain names here.
 */
export class FormFields {
  readonly fields: Record<string, string> = {};
  #bytes = 0;
  #count = 0;

  add(name: string, value: string): void {
    this.#count += 1;
    this.#bytes += name.length + value.length;
    if (this.#count > MAX_FIELDS) throw tooLarge(`Too many form fields (more than ${MAX_FIELDS})`);
    if (this.#bytes > MAX_FIELD_BYTES)
      throw tooLarge(`Form fields are too large together (more than ${MAX_FIELD_BYTES / 1024} KiB)`);
    const joined = Object.hasOwn(this.fields, name) ? `${this.fields[name]},${value}` : value;
    Object.defineProperty(this.fields, name, {
      value: joined,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}
