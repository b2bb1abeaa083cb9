/**
 * The one error catalogue (DESIGN §2). Every error the gateway raises is declared here once,
 * with its HTTP status, OpenAI-style `type` and the policy layer that raises it. Code throws
 * `GatewayError`s; one error handler renders the one envelope.
 */

export type ErrorLayer =
  | 'auth'
  | 'consumer'
  | 'tenant'
  | 'ip'
  | 'request'
  | 'model'
  | 'scope'
  | 'permission'
  | 'subscription'
  | 'limit'
  | 'upstream'
  | 'admin'
  | 'gateway';

interface CatalogueEntry {
  readonly status: number;
  readonly type: string;
  readonly layer: ErrorLayer;
}

function entry(status: number, type: string, layer: ErrorLayer): CatalogueEntry {
  return { status, type, layer };
}

export const errorCatalogue = {
  // Who are you?
  missing_api_key: entry(401, 'authentication_error', 'auth'),
  invalid_api_key: entry(401, 'authentication_error', 'auth'),
  api_key_revoked: entry(401, 'authentication_error', 'auth'),
  api_key_expired: entry(401, 'authentication_error', 'auth'),
  // You may not.
  consumer_disabled: entry(403, 'permission_error', 'consumer'),
  tenant_suspended: entry(403, 'permission_error', 'tenant'),
  ip_not_allowed: entry(403, 'permission_error', 'ip'),
  scope_missing: entry(403, 'permission_error', 'scope'),
  model_not_permitted: entry(403, 'permission_error', 'permission'),
  subscription_required: entry(403, 'permission_error', 'subscription'),
  subscription_pending: entry(403, 'permission_error', 'subscription'),
  subscription_rejected: entry(403, 'permission_error', 'subscription'),
  subscription_revoked: entry(403, 'permission_error', 'subscription'),
  // What you sent.
  invalid_request: entry(400, 'invalid_request_error', 'request'),
  body_too_large: entry(413, 'invalid_request_error', 'request'),
  /** The client took longer than GATEWAY_REQUEST_TIMEOUT_MS to send its request. */
  request_timeout: entry(408, 'invalid_request_error', 'request'),
  /** Headers larger than Node accepts, or bytes that are not HTTP. */
  malformed_http: entry(400, 'invalid_request_error', 'request'),
  unsupported_parameter: entry(400, 'invalid_request_error', 'request'),
  unsupported_media_type: entry(415, 'invalid_request_error', 'request'),
  route_not_found: entry(404, 'invalid_request_error', 'request'),
  /** The path exists, for other methods (the answer's Allow header lists them). */
  method_not_allowed: entry(405, 'invalid_request_error', 'request'),
  model_not_found: entry(404, 'invalid_request_error', 'model'),
  // Slow down.
  rate_limit_exceeded: entry(429, 'requests', 'limit'),
  token_rate_limit_exceeded: entry(429, 'tokens', 'limit'),
  budget_exceeded: entry(429, 'insufficient_quota', 'limit'),
  /** Redis (REDIS_URL) does not answer and GATEWAY_LIMITS_FAIL_MODE=closed: a limited call cannot be counted. */
  limit_store_unavailable: entry(503, 'server_error', 'limit'),
  // The provider.
  upstream_auth_failed: entry(502, 'server_error', 'upstream'),
  upstream_rate_limited: entry(429, 'rate_limit_error', 'upstream'),
  upstream_bad_request: entry(400, 'invalid_request_error', 'upstream'),
  upstream_error: entry(502, 'server_error', 'upstream'),
  upstream_unreachable: entry(502, 'server_error', 'upstream'),
  upstream_timeout: entry(504, 'server_error', 'upstream'),
  // The admin API.
  admin_token_missing: entry(401, 'authentication_error', 'admin'),
  admin_token_invalid: entry(401, 'authentication_error', 'admin'),
  admin_token_expired: entry(401, 'authentication_error', 'admin'),
  invalid_credentials: entry(401, 'authentication_error', 'admin'),
  admin_forbidden: entry(403, 'permission_error', 'admin'),
  resource_not_found: entry(404, 'not_found_error', 'admin'),
  resource_conflict: entry(409, 'conflict_error', 'admin'),
  resource_in_use: entry(409, 'conflict_error', 'admin'),
  // GET /metrics when GATEWAY_METRICS_TOKEN is set.
  metrics_token_missing: entry(401, 'authentication_error', 'admin'),
  metrics_token_invalid: entry(401, 'authentication_error', 'admin'),
  // The gateway itself.
  service_unavailable: entry(503, 'server_error', 'gateway'),
  internal_error: entry(500, 'server_error', 'gateway'),
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface GatewayErrorOptions {
  /** The request field the error is about, when there is one (OpenAI's `param`). */
  param?: string | null;
  /** Who can fix it and how. */
  hint?: string;
  /** Extra response headers (Retry-After, WWW-Authenticate, x-should-retry…). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly layer: ErrorLayer;
  readonly param: string | null;
  readonly hint: string | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const { status, type, layer } = errorCatalogue[code];
    this.name = 'GatewayError';
    this.code = code;
    this.status = status;
    this.type = type;
    this.layer = layer;
    this.param = options.param ?? null;
    this.hint = options.hint;
    this.headers = options.headers ?? {};
  }

  /** `provider` for every error of the upstream layer, `gateway` for every other (DESIGN §7). */
  get source(): 'gateway' | 'provider' {
    return this.layer === 'upstream' ? 'provider' : 'gateway';
  }
}

export interface ErrorEnvelope {
  error: {
    message: string;
    type: string;
    code: string;
    param: string | null;
    layer: ErrorLayer;
    hint?: string;
    request_id: string;
  };
}

export function toEnvelope(error: GatewayError, requestId: string): ErrorEnvelope {
  return {
    error: {
      message: error.message,
      type: error.type,
      code: error.code,
      param: error.param,
      layer: error.layer,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      request_id: requestId,
    },
  };
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
