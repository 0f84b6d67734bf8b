/**
 * The one table of addresses a caller-supplied URL must never reach, used by the edge (on URL
 * literals, before anything is fetched) and the GPU service (on every address DNS returns, at connect
 * time). Pure TypeScript so both runtimes share it: workerd has no node:net.
 */

type Cidr = readonly [bytes: readonly number[], prefix: number];

// IANA special-purpose registries: this host, private, CGNAT, loopback, link-local (cloud metadata at
// 169.254.169.254), IETF protocol assignments, documentation, benchmarking, multicast, reserved.
const V4: readonly Cidr[] = [
  [[0, 0, 0, 0], 8],
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10],
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 88, 99, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4],
  [[240, 0, 0, 0], 4],
];

// Unspecified and loopback are inside ::/96 (IPv4-compatible), judged below by the IPv4 they carry.
const V6: readonly Cidr[] = [
  [[0x01, 0x00], 64], // 100::/64 discard
  [[0x20, 0x01, 0x00, 0x00], 32], // Teredo: carries an obfuscated IPv4; never a storage host
  [[0x20, 0x01, 0x00, 0x02], 48], // benchmarking
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x3f, 0xff], 20], // documentation
  [[0x5f, 0x00], 16], // segment routing
  [[0xfc], 7], // unique local (fd00:ec2::254 is AWS's metadata)
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // site-local (deprecated, still routed privately)
  [[0xff], 8], // multicast
];

function inCidr(address: readonly number[], [net, prefix]: Cidr): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((address[bit / 8] ?? 0) & mask) !== ((net[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : Number.NaN));
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

export function parseIpv6(text: string): number[] | undefined {
  let head = text.toLowerCase().replace(/%.*$/, '');
  let tail: number[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(head);
  if (v4) {
    const bytes = parseIpv4(v4[2]!);
    if (!bytes) return undefined;
    tail = bytes;
    head = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const [left, right] = [groups(halves[0]!), halves.length === 2 ? groups(halves[1]!) : []];
  if (![...left, ...right].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const total = (left.length + right.length) * 2 + tail.length;
  if (halves.length === 1 ? total !== 16 : total > 14) return undefined;
  const toBytes = (gs: string[]) =>
    gs.flatMap((g) => [Number.parseInt(g, 16) >> 8, Number.parseInt(g, 16) & 0xff]);
  return [...toBytes(left), ...new Array(16 - total).fill(0), ...toBytes(right), ...tail];
}

function isNonPublicV4(bytes: readonly number[]): boolean {
  return V4.some((cidr) => inCidr(bytes, cidr));
}

/** The IPv4 address an IPv6 form carries: mapped, compatible, NAT64 (well-known and local) or 6to4. */
function embeddedV4(bytes: readonly number[]): number[] | undefined {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  if (zero(0, 12)) return bytes.slice(12);
  if (inCidr(bytes, [[0x00, 0x64, 0xff, 0x9b], 96])) return bytes.slice(12);
  if (inCidr(bytes, [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48])) return bytes.slice(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6);
  return undefined;
}

/** True for an IP address literal (v4, or v6 with or without brackets) that is not publicly routable. */
export function isNonPublicIp(text: string): boolean {
  const host = text.replace(/^\[|\]$/g, '');
  const v4 = parseIpv4(host);
  if (v4) return isNonPublicV4(v4);
  const v6 = parseIpv6(host);
  if (!v6) return false;
  const carried = embeddedV4(v6);
  if (carried) return isNonPublicV4(carried);
  return V6.some((cidr) => inCidr(v6, cidr));
}

export function isIpLiteral(text: string): boolean {
  const host = text.replace(/^\[|\]$/g, '');
  return parseIpv4(host) !== undefined || parseIpv6(host) !== undefined;
}

/**
 * True when a URL's hostname is certainly not public without resolving it: a non-public IP literal,
 * or a name reserved for the local host (`localhost`, `*.localhost`, with or without the root dot).
 * Other names must be judged on what they resolve to, where the request is made.
 */
export function isNonPublicHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isNonPublicIp(host);
}
