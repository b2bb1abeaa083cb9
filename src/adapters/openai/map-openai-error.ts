import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { isGatewayError } from '../../errors.js';
import {
  isAbortError,
  upstreamErrorFromStatus,
  upstreamStreamError,
  upstreamUnreachable,
} from '../shared/upstream-error.js';
import {
  type FailurePhase,
  retryAfterSeconds,
  rootCauseText,
  sdkTimeout,
  truncateProviderMessage,
  unreadableAnswer,
} from '../shared/provider-failure.js';

/** The provider's own words: `error.message` of its body, else the SDK's text without "<status> ". */
export function providerMessage(error: APIError): string {
  const body: unknown = error.error;
  const said =
    body !== null && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
      ? body.message
      : error.message.replace(/^\d{3} /, '');
  return truncateProviderMessage(said);
}

/**
 * Translates what the openai SDK threw into the gateway's catalogue. Aborts (our signal fired)
 * are returned unchanged: the gateway tells a client cancellation from its own timeout by them.
 */
export function mapOpenAIError(error: unknown, signal: AbortSignal, phase: FailurePhase): unknown {
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
      });
    }
    // A `data: {"error": …}` frame after a 200: the SDK throws an APIError without status.
    return upstreamStreamError(error.type ?? error.code ?? 'error', providerMessage(error));
  }
  const detail = error instanceof Error ? rootCauseText(error) : String(error);
  if (phase === 'stream') return upstreamStreamError('connection_lost', `the stream broke off (${detail})`);
  // The body of a non-streamed answer could not be read or parsed.
  return unreadableAnswer("The provider's answer could not be read", detail, error);
}

export { retryAfterSeconds, type FailurePhase };
