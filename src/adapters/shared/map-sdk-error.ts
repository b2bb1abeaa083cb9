import { isGatewayError } from '../../errors.js';
import { isAbortError, upstreamErrorFromStatus, upstreamStreamError, upstreamUnreachable } from './upstream-error.js';
import { ANSWER_NOT_READABLE, type FailurePhase, retryAfterSeconds, rootCauseText, sdkTimeout, truncateProviderMessage, unreadableAnswer } from './provider-failure.js';

/** What the Stainless-generated SDKs (openai, @anthropic-ai/sdk) put on an API error alike. */
export interface SdkApiError extends Error {
  status: number | undefined;
  headers: Headers | undefined;
  /** The parsed error body. */
  error: unknown;
  type: string | null | undefined;
}

type ErrorClass<T extends Error = Error> = abstract new (...args: never[]) => T;

/**
 * One SDK's error classes and the little that differs between providers. The SDKs share their
 * class hierarchy (every SDK error extends `baseError`; the connection errors extend `apiError`),
 * but each package has classes of its own, so `instanceof` needs that package's.
 */
export interface SdkErrorKit<E extends SdkApiError> {
  baseError: ErrorClass;
  apiError: ErrorClass<E>;
  userAbortError: ErrorClass;
  connectionError: ErrorClass;
  connectionTimeoutError: ErrorClass;
  /** The provider's own words, from the error body the SDK kept. */
  providerMessage(error: E): string;
  /** The error type named when the provider reports a failure inside a stream it had started. */
  streamErrorType(error: E): string;
  /** A failure of the gateway's account with the provider (auth, billing), whatever its status. */
  isAccountError?(error: E): boolean;
}

/**
 * What an SDK threw → the gateway's catalogue. An abort (our signal fired) is returned
 * unchanged: the gateway tells a client's cancellation from its own timeout by it.
 */
export function mapSdkError<E extends SdkApiError>(kit: SdkErrorKit<E>, error: unknown, signal: AbortSignal, phase: FailurePhase): unknown {
  if (error instanceof kit.userAbortError || isAbortError(error) || signal.aborted) return error;
  if (isGatewayError(error)) return error;
  if (error instanceof kit.connectionTimeoutError) return sdkTimeout(error);
  if (error instanceof kit.connectionError) return upstreamUnreachable(rootCauseText(error), error);
  if (error instanceof kit.apiError) {
    if (error.status !== undefined) {
      return upstreamErrorFromStatus(error.status, kit.providerMessage(error), {
        retryAfterSeconds: retryAfterSeconds(error.headers),
        authFailure: kit.isAccountError?.(error) === true,
      });
    }
    // An error frame after a 200: the SDKs throw an API error without a status.
    return upstreamStreamError(kit.streamErrorType(error), kit.providerMessage(error));
  }
  const detail = error instanceof Error ? rootCauseText(error) : String(error);
  if (phase === 'stream') return upstreamStreamError('connection_lost', `the stream broke off (${truncateProviderMessage(detail)})`);
  // An error the SDK raised on its own side, or an answer body that could not be read or parsed.
  const what = error instanceof kit.baseError ? 'The provider call failed' : ANSWER_NOT_READABLE;
  return unreadableAnswer(what, detail, error);
}
