import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { mapSdkError, type SdkErrorKit } from '../shared/map-sdk-error.js';
import { type FailurePhase, retryAfterSeconds, truncateProviderMessage } from '../shared/provider-failure.js';

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

const anthropicErrors: SdkErrorKit<APIError> = {
  baseError: AnthropicError,
  apiError: APIError,
  userAbortError: APIUserAbortError,
  connectionError: APIConnectionError,
  connectionTimeoutError: APIConnectionTimeoutError,
  providerMessage,
  // An `event: error` frame names its type (`overloaded_error`, …).
  streamErrorType: (error) => error.type ?? 'error',
  isAccountError: (error) => error.type !== null && ACCOUNT_ERROR_TYPES.has(error.type),
};

/**
 * What the Anthropic SDK threw → the gateway's catalogue (see mapSdkError). 529
 * `overloaded_error` is a provider 5xx, so upstream_error (DESIGN §2).
 */
export function mapAnthropicError(error: unknown, signal: AbortSignal, phase: FailurePhase): unknown {
  return mapSdkError(anthropicErrors, error, signal, phase);
}

export { retryAfterSeconds, type FailurePhase };
