import { BlockList, isIP } from 'node:net';

/**
 * Addresses an agent's fetch_url must never reach: private networks, loopback, link-local
 * (where cloud metadata services live), CGNAT, multicast, unspecified, documentation and
 * benchmark ranges, and their IPv6 counterparts. IPv4-mapped IPv6 (::ffff:127.0.0.1) is
 * unwrapped first, since it reaches the IPv4 address.
 */
const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), if it is one. The URL
 * parser canonicalises every spelling (dotted, hex groups, zeros written out) to ::ffff:xxxx:xxxx.
 */
function unwrapMappedIpv4(address: string): string | undefined {
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped?.[1] || !mapped[2]) return undefined;
  const high = Number.parseInt(mapped[1], 16);
  const low = Number.parseInt(mapped[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** True when an IP address (v4 or v6, brackets allowed) is one fetch_url must not connect to. */
export function isRefusedAddress(input: string): boolean {
  const address = input.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = unwrapMappedIpv4(address);
  if (mapped) return refused.check(mapped, 'ipv4');
  return refused.check(address, 'ipv6');
}
