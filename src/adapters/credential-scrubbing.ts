import { REDACTED } from '../secrets/redact-secrets.js';
import type { ProviderAdapter } from './types.js';

/** Shorter credentials are not scrubbed: replacing a short word everywhere would garble messages. */
const MIN_SCRUBBED_LENGTH = 8;
/** How far down an error's cause chain the credential is looked for. */
const MAX_CAUSE_DEPTH = 5;

/**
 * The adapter, with its provider's own credential removed from every error it throws before the
 * provider started answering (what the caller receives and the log prints). The shared patterns
 * (secrets/redact-secrets.ts) catch key-shaped strings such as `sk-…`; a self-hosted server's key
 * can have any form, and an upstream that echoes it (a debugging proxy, a misconfigured server)
 * would otherwise hand it to every caller. A stream's events pass through untouched; only its
 * failures are looked at, for the price of one `.catch` per event.
 */
export function scrubbingCredential(adapter: ProviderAdapter, credential: string | undefined): ProviderAdapter {
  if (credential === undefined || credential.length < MIN_SCRUBBED_LENGTH) return adapter;
  const rethrowScrubbed = (error: unknown): never => {
    throw withoutCredential(error, credential);
  };
  const scrubbed: ProviderAdapter = {
    chat: (request, options) => adapter.chat(request, options).catch(rethrowScrubbed),
    chatStream: (request, options) => adapter.chatStream(request, options).then((events) => scrubbingStream(events, rethrowScrubbed), rethrowScrubbed),
  };
  // A check judges the request alone and never reaches the provider: nothing of its key to scrub.
  const { checkChat, checkEmbed, embed, close } = adapter;
  if (checkChat !== undefined) scrubbed.checkChat = (request, options) => checkChat.call(adapter, request, options);
  if (checkEmbed !== undefined) scrubbed.checkEmbed = (request, options) => checkEmbed.call(adapter, request, options);
  if (embed !== undefined) scrubbed.embed = (request, options) => embed.call(adapter, request, options).catch(rethrowScrubbed);
  if (close !== undefined) scrubbed.close = () => close.call(adapter);
  return scrubbed;
}

/** The stream's events as they come; an error it throws mid-stream (a provider's error event) goes through `rethrow`. */
function scrubbingStream<T>(events: AsyncIterable<T>, rethrow: (error: unknown) => never): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const inner = events[Symbol.asyncIterator]();
      return {
        next: () => inner.next().catch(rethrow),
        // The consumer stopping early (a client gone) must still release the upstream request.
        return: (value?: unknown) => (inner.return === undefined ? Promise.resolve({ done: true as const, value: value as T }) : inner.return(value).catch(rethrow)),
      };
    },
  };
}

function withoutCredential(error: unknown, credential: string): unknown {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    if (current.message.includes(credential)) current.message = current.message.replaceAll(credential, REDACTED);
    if (current.stack?.includes(credential)) current.stack = current.stack.replaceAll(credential, REDACTED);
    current = current.cause;
  }
  return error;
}
