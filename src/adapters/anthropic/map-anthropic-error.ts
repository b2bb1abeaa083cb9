import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { isGatewayError } from '../../errors.js';
import { isAbortError, upstreamErrorFromStatus, upstreamStreamError, upstreamUnreachable } from '../shared/upstream-error.js';
import {
  type FailurePhase,
  retryAfterSeconds,
  rootCauseText,
  sdkTimeout,
  truncateProviderMessage,
  unreadableAnswer,
} from '../shared/provider-failure.js';

/** Error types that mean the gateway's Anthropic account, not the request, is at fault. */
const ACCOUNT_ERROR_TYPES: ReadonlySet<string> = new Set(['authentication_error', 'permission_error', 'billing_error']);

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
  return truncateProviderMessage(said);
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
    return sdkTimeout(error);
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
  if (phase === 'stream') return upstreamStreamError('connection_lost', `the stream broke off (${truncateProviderMessage(detail)})`);
  // An AnthropicError raised client-side, or an answer body that could not be read or parsed.
  const what = error instanceof AnthropicError ? 'The provider call failed' : "The provider's answer could not be read";
  return unreadableAnswer(what, detail, error);
}

export { retryAfterSeconds, type FailurePhase };
