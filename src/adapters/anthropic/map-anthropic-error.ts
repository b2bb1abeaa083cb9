import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { GatewayError, isGatewayError } from '../../errors.js';
import { isAbortError, upstreamErrorFromStatus, upstreamStreamError, upstreamUnreachable } from '../shared/upstream-error.js';

/** Where the failure happened: before the provider answered, or while reading its stream. */
export type FailurePhase = 'request' | 'stream';

/** Long HTML error pages from proxies would drown the useful part of the message. */
const MAX_PROVIDER_MESSAGE = 500;

/** Error types that mean the gateway's Anthropic account, not the request, is at fault. */
const ACCOUNT_ERROR_TYPES: ReadonlySet<string> = new Set(['authentication_error', 'permission_error', 'billing_error']);

function truncate(text: string): string {
  return text.length > MAX_PROVIDER_MESSAGE ? `${text.slice(0, MAX_PROVIDER_MESSAGE)}…` : text;
}

/**
 * Anthropic's body is `{"type":"error","error":{"type","message"},"request_id"}`; the SDK keeps
 * the whole body in `error.error`. Falls back to the SDK's text without its "<status> " prefix.
 */
export function providerMessage(error: APIError): string {
  const body: unknown = error.error;
  const inner = body !== null && typeof body === 'object' && 'error' in body ? body.error : undefined;
  const said =
    inner !== null && typeof inner === 'object' && 'message' in inner && typeof inner.message === 'string'
      ? inner.message
      : error.message.replace(/^\d{3} /, '');
  return truncate(said);
}

/** `retry-after-ms` first (more precise), then `retry-after` in seconds or as an HTTP date. */
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

/** The innermost cause names the real failure (ECONNREFUSED, "other side closed"…). */
function rootCauseText(error: Error): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) current = current.cause;
  if (!(current instanceof Error)) return error.message;
  const code = 'code' in current && typeof current.code === 'string' ? current.code : undefined;
  return code !== undefined && !current.message.includes(code) ? `${code} ${current.message}` : current.message;
}

/**
 * What the Anthropic SDK threw → the gateway's catalogue. An abort (our signal fired) is
 * returned unchanged: the gateway tells a client's cancellation from its own timeout by it.
 * 529 `overloaded_error` is a provider 5xx, so upstream_error (DESIGN §2).
 */
export function mapAnthropicError(error: unknown, signal: AbortSignal, phase: FailurePhase): unknown {
  if (error instanceof APIUserAbortError || isAbortError(error) || signal.aborted) return error;
  if (isGatewayError(error)) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new GatewayError('upstream_timeout', 'The provider did not answer in time.', {
      hint: 'Retry; if it persists, ask a platform admin to check the provider.',
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) return upstreamUnreachable(rootCauseText(error), error);
  if (error instanceof APIError) {
    if (error.status !== undefined) {
      return upstreamErrorFromStatus(error.status, providerMessage(error), {
        retryAfterSeconds: retryAfterSeconds(error.headers),
        authFailure: error.type !== null && ACCOUNT_ERROR_TYPES.has(error.type),
      });
    }
    // An `event: error` frame after a 200: the SDK throws an APIError without status.
    return upstreamStreamError(error.type ?? 'error', providerMessage(error));
  }
  const detail = error instanceof Error ? rootCauseText(error) : String(error);
  if (phase === 'stream') return upstreamStreamError('connection_lost', `the stream broke off (${truncate(detail)})`);
  // An AnthropicError raised client-side, or an answer body that could not be read or parsed.
  const what = error instanceof AnthropicError ? 'The provider call failed' : "The provider's answer could not be read";
  return new GatewayError('upstream_error', `${what}: ${truncate(detail)}`, {
    hint: 'Retry later; if it persists, a platform admin should check the provider (the call log has the details).',
    cause: error,
  });
}
