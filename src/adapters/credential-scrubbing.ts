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
 * would otherwise hand it to every caller. Errors inside a running stream are not wrapped: that
 * would put a layer on every streamed event, and they carry the same pattern-based redaction.
 */
export function scrubbingCredential(adapter: ProviderAdapter, credential: string | undefined): ProviderAdapter {
  if (credential === undefined || credential.length < MIN_SCRUBBED_LENGTH) return adapter;
  const rethrowScrubbed = (error: unknown): never => {
    throw withoutCredential(error, credential);
  };
  const scrubbed: ProviderAdapter = {
    chat: (request, options) => adapter.chat(request, options).catch(rethrowScrubbed),
    chatStream: (request, options) => adapter.chatStream(request, options).catch(rethrowScrubbed),
  };
  const { embed, close } = adapter;
  if (embed !== undefined) scrubbed.embed = (request, options) => embed.call(adapter, request, options).catch(rethrowScrubbed);
  if (close !== undefined) scrubbed.close = () => close.call(adapter);
  return scrubbed;
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
