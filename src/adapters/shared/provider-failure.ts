import { GatewayError } from '../../errors.js';
import { redactSecretText } from '../../secrets/redact-secrets.js';

/**
 * Pieces every SDK-based adapter needs to describe a provider failure. The Stainless SDKs
 * (openai, @anthropic-ai/sdk) have different classes but the same headers and error chains.
 */

/** Where the failure happened: before the provider answered, or while reading its stream. */
export type FailurePhase = 'request' | 'stream';

/** Long HTML error pages from proxies would drown the useful part of the message. */
const MAX_PROVIDER_MESSAGE = 500;

export function truncateProviderMessage(text: string): string {
  return text.length > MAX_PROVIDER_MESSAGE ? `${text.slice(0, MAX_PROVIDER_MESSAGE)}…` : text;
}

/** `retry-after-ms` (more precise) first, then `retry-after` in seconds or as an HTTP date. */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds / 1000;
  const retryAfter = headers?.get('retry-after');
  if (!retryAfter) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** The innermost cause names the real failure (ECONNREFUSED, ENOTFOUND, "other side closed"…). */
export function rootCauseText(error: Error): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) current = current.cause;
  if (!(current instanceof Error)) return error.message;
  const code = 'code' in current && typeof current.code === 'string' ? current.code : undefined;
  return code !== undefined && !current.message.includes(code) ? `${code} ${current.message}` : current.message;
}

/** The SDK's own connection timeout (the gateway's deadline normally fires first). */
export function sdkTimeout(cause: unknown): GatewayError {
  return new GatewayError('upstream_timeout', 'The provider did not answer in time.', {
    hint: 'Retry; if it persists, ask a platform admin to check the provider.',
    cause,
  });
}

/** What `unreadableAnswer` says of a provider's answer that is not one (HTML, `null`, fields missing). */
export const ANSWER_NOT_READABLE = "The provider's answer could not be read";

/** A client-side SDK failure, or an answer body that could not be read or parsed. */
export function unreadableAnswer(what: string, detail: string, cause: unknown): GatewayError {
  return new GatewayError('upstream_error', `${what}: ${redactSecretText(truncateProviderMessage(detail))}`, {
    hint: 'Retry later; if it persists, a platform admin should check the provider (the call log has the details).',
    cause,
  });
}
