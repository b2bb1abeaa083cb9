import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { mapSdkError, type SdkErrorKit } from '../shared/map-sdk-error.js';
import { type FailurePhase, retryAfterSeconds, truncateProviderMessage } from '../shared/provider-failure.js';

/** The provider's own words: `error.message` of its body, else the SDK's text without "<status> ". */
export function providerMessage(error: APIError): string {
  const body: unknown = error.error;
  const said =
    body !== null && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
      ? body.message
      : error.message.replace(/^\d{3} /, '');
  return truncateProviderMessage(said);
}

const openAIErrors: SdkErrorKit<APIError> = {
  baseError: OpenAIError,
  apiError: APIError,
  userAbortError: APIUserAbortError,
  connectionError: APIConnectionError,
  connectionTimeoutError: APIConnectionTimeoutError,
  providerMessage,
  // A `data: {"error": …}` frame names its type, or at least its code.
  streamErrorType: (error) => error.type ?? error.code ?? 'error',
};

/** Translates what the openai SDK threw into the gateway's catalogue (see mapSdkError). */
export function mapOpenAIError(error: unknown, signal: AbortSignal, phase: FailurePhase): unknown {
  return mapSdkError(openAIErrors, error, signal, phase);
}

export { retryAfterSeconds, type FailurePhase };
