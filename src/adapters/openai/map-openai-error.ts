import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { GatewayError, isGatewayError } from '../../errors.js';
import {
  isAbortError,
  upstreamErrorFromStatus,
  upstreamStreamError,
  upstreamUnreachable,
} from '../shared/upstream-error.js';

/** Where the failure happened: before the provider answered, or while reading its stream. */
export type FailurePhase = 'request' | 'stream';

/** Long HTML error pages from proxies would drown the useful part of the message. */
const MAX_PROVIDER_MESSAGE = 500;

/** The provider's own words: `error.message` of its body, else the SDK's text without "<status> ". */
export function providerMessage(error: APIError): string {
  const body: unknown = error.error;
  const said =
    body !== null && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
      ? body.message
      : error.message.replace(/^\d{3} /, '');
  return said.length > MAX_PROVIDER_MESSAGE ? `${said.slice(0, MAX_PROVIDER_MESSAGE)}…` : said;
}

/** `retry-after-ms` (OpenAI's precise header) first, then `retry-after` in seconds or as an HTTP date. */
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
function rootCauseText(error: Error): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) current = current.cause;
  if (!(current instanceof Error)) return error.message;
  const code = 'code' in current && typeof current.code === 'string' ? current.code : undefined;
  return code !== undefined && !current.message.includes(code) ? `${code} ${current.message}` : current.message;
}

/**
 * Translates what the openai SDK threw into the gateway's catalogue. Aborts (our signal fired)
 * are returned unchanged: the gateway tells a client cancellation from its own timeout by them.
 */
export function mapOpenAIError(error: unknown, signal: AbortSignal, phase: FailurePhase): unknown {
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
      });
    }
    // A `data: {"error": …}` frame after a 200: the SDK throws an APIError without status.
    return upstreamStreamError(error.type ?? error.code ?? 'error', providerMessage(error));
  }
  const detail = error instanceof Error ? rootCauseText(error) : String(error);
  if (phase === 'stream') return upstreamStreamError('connection_lost', `the stream broke off (${detail})`);
  // The body of a non-streamed answer could not be read or parsed.
  return new GatewayError('upstream_error', `The provider's answer could not be read: ${detail}`, {
    hint: 'Retry later; if it persists, a platform admin should check the provider (the call log has the details).',
    cause: error,
  });
}
