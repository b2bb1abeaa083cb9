import { GatewayError, type ErrorCode } from '../../errors.js';
import { redactSecretText } from '../../secrets/redact-secrets.js';

/**
 * Maps a provider's HTTP failure onto the catalogue (DESIGN §2, §7). Shared by every adapter so
 * that the same provider status always becomes the same gateway error. The provider's words reach
 * the caller and the log, so key-shaped strings in them are replaced first: a proxy's error page
 * or a debugging server can echo the credential the gateway sent.
 */
export function upstreamErrorFromStatus(
  status: number,
  providerMessage: string,
  options: { retryAfterSeconds?: number; authFailure?: boolean } = {},
): GatewayError {
  const code = codeForStatus(status, options.authFailure === true);
  const headers: Record<string, string> = {};
  if (code === 'upstream_rate_limited' && options.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(options.retryAfterSeconds)));
  }
  return new GatewayError(code, messageFor(code, status, redactSecretText(providerMessage)), {
    hint: hintFor(code),
    headers,
  });
}

function codeForStatus(status: number, authFailure: boolean): ErrorCode {
  if (authFailure || status === 401 || status === 403) return 'upstream_auth_failed';
  if (status === 429) return 'upstream_rate_limited';
  if (status === 408 || status === 504) return 'upstream_timeout';
  if (status === 404) return 'upstream_error';
  if (status >= 400 && status < 500) return 'upstream_bad_request';
  return 'upstream_error';
}

function messageFor(code: ErrorCode, status: number, providerMessage: string): string {
  const said = providerMessage.trim() === '' ? '' : `: ${providerMessage.trim()}`;
  switch (code) {
    case 'upstream_auth_failed':
      return `The provider rejected the gateway's provider credential (HTTP ${status}). Your API key is fine.`;
    case 'upstream_bad_request':
      return `The provider rejected the request (HTTP ${status})${said}`;
    case 'upstream_rate_limited':
      return `The provider is rate limiting the gateway (HTTP 429)${said}`;
    case 'upstream_timeout':
      return `The provider timed out (HTTP ${status}).`;
    default:
      return `The provider failed (HTTP ${status})${said}`;
  }
}

function hintFor(code: ErrorCode): string {
  switch (code) {
    case 'upstream_auth_failed':
      return "A platform admin must fix the provider's credential (PATCH /admin/providers/{id} or the config file).";
    case 'upstream_bad_request':
      return 'Change the request as the provider says; the gateway passed it on unchanged in meaning.';
    case 'upstream_rate_limited':
      return 'Retry later, or ask a platform admin to add a deployment on another provider account.';
    case 'upstream_timeout':
      return 'Retry; if it persists, ask a platform admin to check the provider or GATEWAY_UPSTREAM_TIMEOUT_MS.';
    default:
      return 'Retry later; if it persists, a platform admin should check the provider (the call log has the details).';
  }
}

/** The provider could not be reached at all (DNS, refused, reset). */
export function upstreamUnreachable(detail: string, cause?: unknown): GatewayError {
  return new GatewayError('upstream_unreachable', `The provider could not be reached: ${detail}`, {
    hint: "Retry later; if it persists, a platform admin should check the provider's base URL and network.",
    cause,
  });
}

/** An error event after the provider had answered 200 (mid-stream). */
export function upstreamStreamError(providerType: string, providerMessage: string): GatewayError {
  return new GatewayError(
    /rate_limit|resource_exhausted/i.test(providerType) ? 'upstream_rate_limited' : 'upstream_error',
    `The provider failed mid-stream (${providerType}): ${redactSecretText(providerMessage)}`,
    { hint: 'Retry the call; the partial answer above is incomplete.' },
  );
}

/** True for the abort errors the SDKs and fetch throw when our AbortSignal fires. */
export function isAbortError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'AbortError' || error.name === 'APIUserAbortError' || /aborted/i.test(error.message);
}
