import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './private-address.js';

/** Resolves a host name to its IP addresses (a seam: tests answer differently on each call). */
export type Resolve = (hostname: string) => Promise<readonly string[]>;

export const resolveWithDns: Resolve = async (hostname) => (await lookup(hostname, { all: true })).map(({ address }) => address);

/** Why the connection was refused; the fetcher turns it into its 400 with the same words. */
export class AddressRefusal extends Error {
  constructor(readonly reason: string) {
    super(`image download refused: ${reason}`);
  }
}

/**
 * A `lookup` for the download's socket that resolves once, refuses the host if any address it
 * resolves to is private, and hands the socket only the addresses it checked. Checking in a
 * separate resolution before the fetch let DNS rebinding through: the fetch resolved again and
 * could get 127.0.0.1 the second time.
 */
export function guardedLookup(resolve: Resolve): LookupFunction {
  const checked = async (hostname: string, family: number): Promise<LookupAddress[]> => {
    const addresses = await resolve(hostname).catch(() => []);
    if (addresses.length === 0) throw new AddressRefusal('its host does not resolve');
    if (addresses.some(isPrivateAddress)) throw new AddressRefusal('it resolves to a private or loopback address');
    const usable = addresses.map((address) => ({ address, family: isIP(address) })).filter((found) => !family || found.family === family);
    if (usable.length === 0) throw new AddressRefusal('its host does not resolve');
    return usable;
  };
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    // Two-argument then: an exception thrown by the socket's callback must not call it twice.
    checked(hostname, family).then(
      (usable) => {
        const [first] = usable;
        if (options.all || first === undefined) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new AddressRefusal(String(error)), ''),
    );
  };
}
