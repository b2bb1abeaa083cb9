import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { GatewayError } from '../errors.js';

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

/** Loopback, private, link-local, carrier-grade NAT and cloud-metadata ranges (DESIGN §7). */
function privateRanges(): BlockList {
  const list = new BlockList();
  for (const [net, bits] of [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
    ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const) list.addSubnet(net, bits, 'ipv4');
  for (const [net, bits] of [['::1', 128], ['::', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
    list.addSubnet(net, bits, 'ipv6');
  }
  return list;
}

function refused(url: string, why: string): GatewayError {
  return new GatewayError('invalid_request', `The image URL ${url} cannot be fetched: ${why}.`, {
    param: 'messages',
    hint: 'Send the image inline as a data: URL, or use a public http(s) URL.',
  });
}

/**
 * Downloads an image for providers that take only inline data, capped in size and time, and
 * refusing private addresses unless GATEWAY_ALLOW_PRIVATE_FETCH is true.
 */
export function createImageFetcher(allowPrivate: boolean, timeoutMs = FETCH_TIMEOUT_MS) {
  const blocked = privateRanges();
  const isPrivate = (address: string) => {
    const mapped = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
    const family = isIP(mapped) === 6 ? 'ipv6' : 'ipv4';
    return blocked.check(mapped, family);
  };

  return async function fetchImage(url: string, signal: AbortSignal): Promise<{ mimeType: string; base64: string }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw refused(url, 'it is not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw refused(url, 'only http and https are allowed');
    if (!allowPrivate) {
      const host = parsed.hostname.replace(/^\[|\]$/g, '');
      const addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true }).catch(() => []);
      if (addresses.length === 0) throw refused(url, 'its host does not resolve');
      if (addresses.some(({ address }) => isPrivate(address))) throw refused(url, 'it resolves to a private or loopback address');
    }
    const response = await fetch(parsed, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), redirect: 'error' }).catch(
      (error: unknown) => {
        if (signal.aborted) throw error;
        throw refused(url, 'the download failed');
      },
    );
    if (!response.ok) throw refused(url, `the server answered HTTP ${response.status}`);
    const mimeType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!mimeType.startsWith('image/')) throw refused(url, `it is not an image (${mimeType || 'no content type'})`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_IMAGE_BYTES) throw refused(url, `it is larger than ${MAX_IMAGE_BYTES} bytes`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > MAX_IMAGE_BYTES) throw refused(url, `it is larger than ${MAX_IMAGE_BYTES} bytes`);
        chunks.push(chunk);
      }
    } catch (error) {
      // A body that trickles past the time cap (or breaks off) was a 500 'unexpected error'.
      if (signal.aborted || error instanceof GatewayError) throw error;
      throw refused(url, `the download broke off or took longer than ${timeoutMs / 1000} s`);
    }
    return { mimeType, base64: Buffer.concat(chunks).toString('base64') };
  };
}
