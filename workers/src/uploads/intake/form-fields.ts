import { ApiError } from '@whisper-edge/shared';

/** Every field of a request together, whatever its encoding: far above any real request's options. */
export const MAX_FIELD_BYTES = 256 * 1024;
export const MAX_FIELDS = 200;

/**
 * Fields whose values are data URLs (reference voice clips): kept apart as lists, since a data URL
 * holds a comma, and under their own budget, since a clip is far larger than any option.
 */
export const CLIP_FIELDS: ReadonlySet<string> = new Set([
  'known_speaker_references[]',
  'known_speaker_references',
]);
export const MAX_CLIPS = 4;
/** One clip as a base64 data URL: 2 MiB of audio (10 s of 16-bit stereo 48 kHz WAV is 1.9 MB). */
export const MAX_CLIP_CHARS = Math.ceil((2 * 1024 * 1024 * 4) / 3) + 100;

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
  /** Values of CLIP_FIELDS, in order. */
  readonly clips: string[] = [];
  #bytes = 0;
  #count = 0;

  add(name: string, value: string): void {
    if (CLIP_FIELDS.has(name)) {
      if (this.clips.length >= MAX_CLIPS) throw tooLarge(`At most ${MAX_CLIPS} known_speaker_references`);
      if (value.length > MAX_CLIP_CHARS)
        throw tooLarge('A known_speaker_references clip is too large (more than 2 MiB of audio)');
      this.clips.push(value);
      return;
    }
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
