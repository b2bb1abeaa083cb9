import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Addresses an image download may not reach unless GATEWAY_ALLOW_PRIVATE_FETCH is true
 * (DESIGN §7): loopback, private, link-local (cloud metadata), carrier-grade NAT and the other
 * special-purpose ranges that are not globally reachable (IANA special-purpose registries).
 */
const IPV4_BLOCKS: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const IPV6_BLOCKS: readonly (readonly [string, number])[] = [
  ['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7],
  ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];

const blocked = new BlockList();
for (const [net, bits] of IPV4_BLOCKS) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of IPV6_BLOCKS) blocked.addSubnet(net, bits, 'ipv6');

/** The eight 16-bit groups of an address `isIPv6` accepted, a dotted IPv4 tail included. */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', tail] = text.split('::');
  if (tail === undefined) return parse(head);
  const [first, last] = [parse(head), parse(tail)];
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}

/**
 * The IPv4 address an IPv6 address carries where the network may deliver it to that IPv4 host:
 * IPv4-mapped (::ffff:0:0/96; the kernel connects to the IPv4 address itself), IPv4-translated
 * (::ffff:0:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and Teredo
 * (2001::/32, client address stored inverted).
 */
function embeddedIPv4(groups: readonly number[]): string | undefined {
  const g = (i: number) => groups[i] ?? 0;
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  if (zero(0, 5) && (g(5) === 0xffff || g(5) === 0)) return v4(g(6), g(7));
  if (zero(0, 4) && g(4) === 0xffff && g(5) === 0) return v4(g(6), g(7));
  if (g(0) === 0x64 && g(1) === 0xff9b && zero(2, 6)) return v4(g(6), g(7));
  if (g(0) === 0x2002) return v4(g(1), g(2));
  if (g(0) === 0x2001 && g(1) === 0) return v4(~g(6) & 0xffff, ~g(7) & 0xffff);
  return undefined;
}

/**
 * Whether a download must not connect to `address` (an IP as DNS or a URL gives it). Anything
 * that is not an IP address counts as private: what cannot be classified is not fetched.
 */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(ip)) return blocked.check(ip, 'ipv4');
  if (!isIPv6(ip)) return true;
  const ipv4 = embeddedIPv4(ipv6Groups(ip.toLowerCase()));
  return (ipv4 !== undefined && blocked.check(ipv4, 'ipv4')) || blocked.check(ip, 'ipv6');
}
