import { describe, expect, it } from 'vitest';
import { languageCode } from './languages.js';

describe('languageCode', () => {
  it('knows codes and names, and nothing an object inherits', () => {
    expect(languageCode('EN')).toBe('en');
    expect(languageCode('English')).toBe('en');
    for (const inherited of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(languageCode(inherited)).toBeUndefined();
    }
  });
});
