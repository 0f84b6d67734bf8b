import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiKeysConfigError, MIN_API_KEY_LENGTH, parseApiKeyEntries } from './api-keys.js';

const bytes = fc.uint8Array({ minLength: 12, maxLength: 48 });
/** Keys as `openssl rand -base64|-hex`, base64url and `sk-` generators print them. */
const realisticKey = fc.oneof(
  bytes.map((b) => Buffer.from(b).toString('base64')),
  bytes.map((b) => Buffer.from(b).toString('base64url')),
  bytes.map((b) => Buffer.from(b).toString('hex')),
  bytes.map((b) => `sk-${Buffer.from(b).toString('base64url')}`),
);
const tenantName = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/);

describe('API_KEYS grammar', () => {
  it('reads the key that once became a tenant with the key "=" as one bare key', () => {
    expect(parseApiKeyEntries('Zm9vYmFyYmF6cXV4MTIzNA==')).toEqual([
      { name: undefined, key: 'Zm9vYmFyYmF6cXV4MTIzNA==' },
    ]);
  });

  it('reads every realistic bare key whole, alone or in a list', () => {
    fc.assert(
      fc.property(fc.array(realisticKey, { minLength: 1, maxLength: 5 }), (keys) => {
        fc.pre(new Set(keys).size === keys.length);
        expect(parseApiKeyEntries(keys.join(', '))).toEqual(keys.map((key) => ({ name: undefined, key })));
      }),
    );
  });

  it('reads name:key and name=key as the named key, whatever the key holds', () => {
    fc.assert(
      fc.property(tenantName, realisticKey, fc.constantFrom(':', '='), (name, key, sep) => {
        expect(parseApiKeyEntries(`${name}${sep}${key}`)).toEqual([{ name, key }]);
      }),
    );
  });

  it('never yields a key shorter than the minimum, whatever the value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (raw) => {
        try {
          for (const entry of parseApiKeyEntries(raw)) {
            expect(entry.key.length).toBeGreaterThanOrEqual(MIN_API_KEY_LENGTH);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ApiKeysConfigError);
        }
      }),
    );
  });

  it('refuses short keys, bad names and repeats with a message that names the entry, not the key', () => {
    const cases: [string, RegExp][] = [
      ['alice:short', /entry 1 of 1 has a key of 5 characters; keys need at least 16/],
      ['abcdefghijklmnop, x', /entry 2 of 2 has a key of 1 characters/],
      ['bad.name:0123456789abcdef0123', /tenant name/],
      ['a:0123456789abcdef, b:0123456789abcdef', /entry 2 of 2 repeats a key/],
      ['=0123456789abcdef0123', /tenant name/],
    ];
    for (const [raw, message] of cases) {
      expect(() => parseApiKeyEntries(raw)).toThrow(message);
      try {
        parseApiKeyEntries(raw);
      } catch (error) {
        expect(String(error)).not.toContain('0123456789abcdef');
      }
    }
  });

  it('lower-cases tenant names so storage roots do not depend on spelling', () => {
    expect(parseApiKeyEntries('Alice:0123456789abcdef')[0]?.name).toBe('alice');
  });
});
