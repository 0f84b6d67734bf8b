import { type LookupAddress, lookup } from 'node:dns';
import { isIP } from 'node:net';
import { isNonPublicIp } from '@whisper-edge/shared';

/** A resolved address the GPU service may connect to: an IP literal outside shared's non-public table. */
export function isPublicAddress(address: string): boolean {
  return isIP(address) !== 0 && !isNonPublicIp(address);
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A dns.lookup for sockets that refuses non-public answers. Because the check runs on the address the
 * socket then connects to, a name that resolves differently a second time (DNS rebinding) gains nothing.
 */
export function publicOnlyLookup(
  hostname: string,
  options: { all?: boolean },
  callback: LookupCallback,
): void {
  lookup(hostname, { all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || addresses.length === 0) {
      return callback(new BlockedAddressError(`${hostname} resolves to a non-public address`), []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}
