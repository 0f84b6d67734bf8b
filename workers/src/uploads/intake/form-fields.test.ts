import { ApiError } from '@whisper-edge/shared';
import { describe, expect, it } from 'vitest';
import { FormFields, MAX_FIELD_BYTES, MAX_FIELDS } from './form-fields.js';

describe('FormFields', () => {
  it('joins repeats and treats inherited names as plain names', () => {
    const form = new FormFields();
    form.add('timestamp_granularities[]', 'word');
    form.add('timestamp_granularities[]', 'segment');
    form.add('constructor', 'x');
    form.add('__proto__', 'y');
    expect(form.fields['timestamp_granularities[]']).toBe('word,segment');
    expect(form.fields.constructor).toBe('x');
    expect(Object.keys(form.fields)).toContain('__proto__');
    expect(Object.getPrototypeOf(form.fields)).toBe(Object.prototype);
  });

  it('refuses too many fields and too many bytes with 413', () => {
    const many = new FormFields();
    const tooMany = () => {
      for (let i = 0; i <= MAX_FIELDS; i++) many.add('prompt', 'a');
    };
    expect(tooMany).toThrow(ApiError);
    expect(tooMany).toThrow(/Too many form fields/);
    const big = new FormFields();
    const value = 'b'.repeat(60_000);
    let error: unknown;
    try {
      for (let i = 0; i * value.length <= MAX_FIELD_BYTES; i++) big.add('prompt', value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(413);
  });
});
