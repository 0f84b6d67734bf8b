import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNonPublicHost, isNonPublicIp, parseIpv6 } from './non-public-address.js';

describe('non-public addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '198.18.0.1',
    '198.19.255.255',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '[::1]',
    'fd00:ec2::254',
    'fe80::1',
    'fec0::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '::a9fe:a9fe',
    '64:ff9b::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::10.0.0.1',
    '2002:7f00:1::',
    '2002:a9fe:a9fe::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:db8::1',
  ])('refuses %s', (address) => {
    expect(isNonPublicIp(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '52.216.0.1',
    '198.20.0.1',
    '2606:4700::1111',
    '::ffff:1.1.1.1',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
  ])('allows %s', (address) => {
    expect(isNonPublicIp(address)).toBe(false);
  });

  it('refuses the local host by name, with or without the root dot', () => {
    for (const host of ['localhost', 'LOCALHOST.', 'a.localhost', 'x.y.localhost.']) {
      expect(isNonPublicHost(host), host).toBe(true);
    }
    expect(isNonPublicHost('s3.amazonaws.com')).toBe(false);
    expect(isNonPublicHost('localhost.example.com')).toBe(false);
  });

  it('judges every IPv6 form of an IPv4 address as that address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
        const forms = [`::ffff:${v4}`, `::${v4}`, `64:ff9b::${v4}`, `2002:${hex(a, b)}:${hex(c, d)}::1`];
        for (const form of forms) expect(isNonPublicIp(form), form).toBe(isNonPublicIp(v4));
      }),
    );
  });

  it('parses exactly the IPv6 texts Node parses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV6(), fc.string({ maxLength: 20 })), (text) => {
        expect(parseIpv6(text) !== undefined, text).toBe(isIP(text) === 6);
      }),
    );
  });
});
