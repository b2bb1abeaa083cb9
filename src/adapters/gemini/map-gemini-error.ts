import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  type ErrorDetails,
} from '@google/generative-ai';
import { isGatewayError } from '../../errors.js';
import { ANSWER_NOT_READABLE, unreadableAnswer } from '../shared/provider-failure.js';
import { isAbortError, upstreamErrorFromStatus, upstreamStreamError, upstreamUnreachable } from '../shared/upstream-error.js';

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * What to throw for an error raised while calling Gemini through the SDK. An abort caused by our
 * own signal (client gone, gateway timeout) is returned UNCHANGED: the gateway tells
 * cancellation and timeouts apart by its own signal and must not see a provider error instead.
 * Errors that are not the provider's (our own GatewayErrors, bugs) also pass unchanged.
 */
export function mapGeminiError(error: unknown, signal: AbortSignal): unknown {
  if (error instanceof GoogleGenerativeAIAbortError) return error;
  if (signal.aborted) return isAbortError(error) ? error : abortErrorCausedBy(error);
  if (isGatewayError(error)) return error;
  if (error instanceof GoogleGenerativeAIFetchError) return fromHttpFailure(error);
  if (error instanceof GoogleGenerativeAIError) return fromSdkFailure(error);
  return error;
}

/**
 * What to throw for an error raised inside the SDK's request call. The SDK parses and reads the
 * answer without checking it: a 200 with HTML throws a SyntaxError (which the error handler
 * would take for the caller's bad JSON), a JSON `null` a TypeError (a 500). Raised there, both
 * are the provider's answer failing to be one.
 */
export function mapGeminiCallError(error: unknown, signal: AbortSignal): unknown {
  const mapped = mapGeminiError(error, signal);
  if (mapped === error && (error instanceof SyntaxError || error instanceof TypeError)) return unreadableAnswer(ANSWER_NOT_READABLE, error.message, error);
  return mapped;
}

function fromHttpFailure(error: GoogleGenerativeAIFetchError) {
  const status = error.status ?? 502;
  const details = error.errorDetails ?? [];
  // Gemini answers a bad API key with 400 INVALID_ARGUMENT: it is the gateway's credential
  // that failed, never the caller's (DESIGN §7).
  const authFailure = details.some((detail) => detail.reason === 'API_KEY_INVALID');
  const retryAfterSeconds = retryDelaySeconds(details);
  return upstreamErrorFromStatus(status, providerMessage(error), {
    authFailure,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

/**
 * Once our signal fired, whatever failed failed because of it. The SDK loses that identity when
 * the abort lands mid-stream ("Error reading from the stream"), and a signal aborted with a
 * plain reason (the gateway's timeout) carries none: this restores it as an AbortError, with
 * the original error as its cause.
 */
function abortErrorCausedBy(cause: unknown): Error {
  const error = new Error('The request to Gemini was aborted.', { cause });
  error.name = 'AbortError';
  return error;
}

/** `google.rpc.RetryInfo` carries `retryDelay` as a protobuf Duration string: "34.4s". */
function retryDelaySeconds(details: ErrorDetails[]): number | undefined {
  for (const detail of details) {
    if (detail['@type'] !== RETRY_INFO_TYPE || typeof detail.retryDelay !== 'string') continue;
    const seconds = Number.parseFloat(detail.retryDelay);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  }
  return undefined;
}

/**
 * The SDK folds the provider's message into its own:
 * `[GoogleGenerativeAI Error]: Error fetching from <url>: [<status> <text>] <message> <details JSON>`.
 * Only `<message>` is the provider's word to the caller.
 */
function providerMessage(error: GoogleGenerativeAIFetchError): string {
  const marker = `[${error.status} ${error.statusText ?? ''}] `;
  const start = error.message.indexOf(marker);
  let message = start < 0 ? '' : error.message.slice(start + marker.length);
  if (error.errorDetails !== undefined) {
    const detailsSuffix = ` ${JSON.stringify(error.errorDetails)}`;
    if (message.endsWith(detailsSuffix)) message = message.slice(0, -detailsSuffix.length);
  }
  return message;
}

/** No HTTP status: the request never got an answer, or the stream broke or was malformed. */
function fromSdkFailure(error: GoogleGenerativeAIError) {
  if (isAbortError(error)) return error;
  const fetching = /Error fetching from \S+: (.*)$/s.exec(error.message);
  if (fetching !== null) return upstreamUnreachable(fetching[1] ?? 'the connection failed', error);
  if (error.message.includes('Error reading from the stream')) {
    return upstreamStreamError('connection', 'the connection broke before the stream ended');
  }
  return upstreamStreamError('malformed', error.message.replace(/^\[GoogleGenerativeAI Error\]: /, ''));
}
