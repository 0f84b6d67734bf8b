/**
 * The `API_KEYS` grammar, read the same way by the Worker (on its first request) and by `npm start`
 * (at startup, so a bad value stops it before anything listens).
 *
 *   API_KEYS = entry { ("," | whitespace) entry }
 *   entry    = name ":" key          named: the tenant is the name
 *            | name "=" key          the same, older spelling
 *            | key                   bare: the tenant is derived from the key's hash
 *
 * A bare key is anything without ":" whose only "=" are trailing padding, so every base64 key
 * (`openssl rand -base64 …` prints "…==" about half the time), hex key and `sk-…` key reads as bare.
 * An entry that has a ":", or an "=" followed by anything but padding, is named; its name must be a
 * plain identifier or the whole value is refused. Nothing is guessed: a value either parses exactly
 * this way or is refused with a message naming the entry (never the key).
 */

export const MIN_API_KEY_LENGTH = 16;

export interface ApiKeyEntry {
  /** The tenant id for a named key; undefined for a bare key (the caller derives one from its hash). */
  name: string | undefined;
  key: string;
}

export class ApiKeysConfigError extends Error {
  constructor(message: string) {
    super(`API_KEYS is not valid: ${message}`);
    this.name = 'ApiKeysConfigError';
  }
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/i;
const BARE = /^[^:=]+=*$/;

function splitEntry(entry: string): ApiKeyEntry {
  if (BARE.test(entry)) return { name: undefined, key: entry };
  const colon = entry.indexOf(':');
  const equals = entry.indexOf('=');
  // The first separator wins, so a named key may itself hold "=" or ":" (`alice:abc==`).
  const at = colon === -1 ? equals : equals === -1 ? colon : Math.min(colon, equals);
  return { name: entry.slice(0, at), key: entry.slice(at + 1) };
}

export function parseApiKeyEntries(raw: string | undefined): ApiKeyEntry[] {
  const entries = (raw ?? '').split(/[\s,]+/).filter(Boolean);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `entry ${index + 1} of ${entries.length}`;
    const parsed = splitEntry(entry);
    if (parsed.name !== undefined && !NAME.test(parsed.name)) {
      throw new ApiKeysConfigError(
        `${where} has a tenant name that is not 1-63 letters, digits, '_' or '-' (write name:key, or a bare key without ':')`,
      );
    }
    if (parsed.key.length < MIN_API_KEY_LENGTH) {
      throw new ApiKeysConfigError(
        `${where} has a key of ${parsed.key.length} characters; keys need at least ${MIN_API_KEY_LENGTH} (e.g. \`openssl rand -base64 24\`)`,
      );
    }
    if (seen.has(parsed.key)) throw new ApiKeysConfigError(`${where} repeats a key given earlier`);
    seen.add(parsed.key);
    return { name: parsed.name?.toLowerCase(), key: parsed.key };
  });
}
