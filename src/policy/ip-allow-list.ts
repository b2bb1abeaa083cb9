import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { parseCidr } from '../access/cidr-notation.js';

/**
 * A CIDR allow-list (IPv4 and IPv6) compiled once per snapshot into a `node:net` BlockList, so
 * a call costs one lookup. An entry that does not parse is left out: the list only gets
 * narrower (fail closed), never wider; the admin API stores canonical entries anyway.
 */
export class IpAllowList {
  private readonly blocks = new BlockList();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const parsed = parseCidr(entry);
      if (!parsed.ok) continue;
      this.blocks.addSubnet(parsed.block.address, parsed.block.prefix, parsed.block.family);
    }
  }

  allows(ip: string): boolean {
    const address = normalizeClientIp(ip);
    if (isIPv4(address)) return this.blocks.check(address, 'ipv4');
    if (isIPv6(address)) return this.blocks.check(address, 'ipv6');
    return false;
  }
}

/** `null` (no list) means every address; an empty stored list would allow none. */
export function compileAllowList(entries: readonly string[] | null): IpAllowList | null {
  return entries === null ? null : new IpAllowList(entries);
}

const ipv4Mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The address as the allow-lists compare it: a dual-stack socket reports an IPv4 client as
 * `::ffff:a.b.c.d`, which must match the IPv4 entries an admin wrote.
 */
export function normalizeClientIp(ip: string): string {
  const mapped = ipv4Mapped.exec(ip.trim());
  return mapped?.[1] ?? ip.trim().toLowerCase();
}
