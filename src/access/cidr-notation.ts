import { isIPv4, isIPv6 } from 'node:net';

/**
 * Strict CIDR parsing for allow-lists (`203.0.113.0/24`, `2001:db8::/32`). A bare address is a
 * one-address block (`/32`, `/128`). Host bits must be zero: `10.0.0.1/24` is refused with the
 * network it probably means, because a silently widened or narrowed allow-list is a security bug.
 */
export interface CidrBlock {
  family: 'ipv4' | 'ipv6';
  /** The network address, canonical (IPv6 compressed per RFC 5952, lower case). */
  address: string;
  prefix: number;
}

export type CidrParseResult = { ok: true; block: CidrBlock; canonical: string } | { ok: false; reason: string };

const prefixDigits = /^(0|[1-9][0-9]{0,2})$/;

export function parseCidr(text: string): CidrParseResult {
  const parts = text.split('/');
  if (parts.length > 2) return { ok: false, reason: 'there is more than one "/"' };
  const [address = '', prefixText] = parts;
  if (address.includes('%')) return { ok: false, reason: 'an IPv6 zone id (%…) cannot be used in an allow-list' };
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (family === null) return { ok: false, reason: `'${address}' is not an IPv4 or IPv6 address` };
  const width = family === 'ipv4' ? 32 : 128;
  let prefix = width;
  if (prefixText !== undefined) {
    if (!prefixDigits.test(prefixText) || Number(prefixText) > width) {
      return { ok: false, reason: `the prefix length must be a whole number from 0 to ${width}` };
    }
    prefix = Number(prefixText);
  }
  const bytes = family === 'ipv4' ? ipv4Bytes(address) : ipv6Bytes(address);
  const network = maskBytes(bytes, prefix);
  const networkAddress = family === 'ipv4' ? network.join('.') : formatIpv6(network);
  const canonical = `${networkAddress}/${prefix}`;
  if (network.some((byte, index) => byte !== bytes[index])) {
    return { ok: false, reason: `host bits are set after the /${prefix} prefix (did you mean ${canonical}?)` };
  }
  return { ok: true, block: { family, address: networkAddress, prefix }, canonical };
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** Expands a valid IPv6 address (already checked with isIPv6) into its 16 bytes. */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  let ipv4Tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    ipv4Tail = ipv4Bytes(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = [...headGroups, ...(tail === undefined ? [] : zeros), ...tailGroups];
  const bytes = groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  if (ipv4Tail.length === 4) bytes.splice(12, 4, ...ipv4Tail);
  return bytes;
}

function maskBytes(bytes: number[], prefix: number): number[] {
  return bytes.map((byte, index) => {
    const bitsHere = Math.min(8, Math.max(0, prefix - index * 8));
    return byte & ((0xff << (8 - bitsHere)) & 0xff);
  });
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
