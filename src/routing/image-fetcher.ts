import { isIP } from 'node:net';
import { Agent, fetch } from 'undici';
import { GatewayError } from '../errors.js';
import { AddressRefusal, guardedLookup, resolveWithDns, type Resolve } from './guarded-lookup.js';
import { isPrivateAddress } from './private-address.js';

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

function refused(url: string, why: string): GatewayError {
  return new GatewayError('invalid_request', `The image URL ${url} cannot be fetched: ${why}.`, {
    param: 'messages',
    hint: 'Send the image inline as a data: URL, or use a public http(s) URL.',
  });
}

/** The refusal a failed download carries in its `cause` chain (undici wraps it in 'fetch failed'). */
function refusalIn(error: unknown): AddressRefusal | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) if (cause instanceof AddressRefusal) return cause;
  return undefined;
}

/**
 * Downloads an image for providers that take only inline data, capped in size and time, and
 * refusing private addresses unless GATEWAY_ALLOW_PRIVATE_FETCH is true. A host name is checked
 * by the socket's own lookup, so the address checked is the address connected to (no DNS
 * rebinding between a check and the fetch); `resolve` is that lookup's resolver.
 */
export function createImageFetcher(allowPrivate: boolean, timeoutMs = FETCH_TIMEOUT_MS, resolve: Resolve = resolveWithDns) {
  const dispatcher = new Agent(allowPrivate ? {} : { connect: { lookup: guardedLookup(resolve) } });

  return async function fetchImage(url: string, signal: AbortSignal): Promise<{ mimeType: string; base64: string }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw refused(url, 'it is not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw refused(url, 'only http and https are allowed');
    // An IP literal is connected to without any lookup, so it is checked here. The WHATWG parser
    // already turned 0x7f.1, 2130706433 and the like into dotted IPv4.
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && isIP(host) && isPrivateAddress(host)) throw refused(url, 'it resolves to a private or loopback address');
    const download = new DownloadDeadline(signal, timeoutMs);
    try {
      const response = await fetch(parsed, { dispatcher, signal: download.signal, redirect: 'error' }).catch((error: unknown) => {
        if (signal.aborted) throw error;
        throw refused(url, refusalIn(error)?.reason ?? 'the download failed');
      });
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
    } finally {
      download.dispose();
    }
  };
}

/**
 * Aborts a download when the call's signal does or when the time cap passes. Not
 * `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: on Node 20 the combined signal holds the
 * timeout signal only weakly, and once a garbage collection has taken it the cap never fires (a
 * trickling download then ran on; seen in CI, and with forced collections every time). Here the
 * timer holds the controller.
 */
class DownloadDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.controller.abort(this.parent.reason);

  constructor(
    private readonly parent: AbortSignal,
    timeoutMs: number,
  ) {
    if (parent.aborted) this.controller.abort(parent.reason);
    else parent.addEventListener('abort', this.onAbort, { once: true });
    this.timer = setTimeout(() => this.controller.abort(new Error(`the download took longer than ${timeoutMs} ms`)), timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent.removeEventListener('abort', this.onAbort);
  }
}

