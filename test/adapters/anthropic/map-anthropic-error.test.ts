import t from 'tap';
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { mapAnthropicError, providerMessage, retryAfterSeconds } from '../../../src/adapters/anthropic/map-anthropic-error.js';
import { GatewayError } from '../../../src/errors.js';
import { anthropicErrorBody } from '../../fake-upstreams/anthropic.js';

const live = new AbortController().signal;

function statusError(status: number, type: string, message: string, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, anthropicErrorBody(type, message), undefined, new Headers(headers));
}

function mapped(error: unknown, phase: 'request' | 'stream' = 'request'): GatewayError {
  const result = mapAnthropicError(error, live, phase);
  if (!(result instanceof GatewayError)) throw new Error(`not a GatewayError: ${String(result)}`);
  return result;
}

t.test('HTTP statuses map onto the catalogue', async (t) => {
  const cases = [
    [401, 'authentication_error', 'upstream_auth_failed', 502],
    [403, 'permission_error', 'upstream_auth_failed', 502],
    [402, 'billing_error', 'upstream_auth_failed', 502],
    [400, 'invalid_request_error', 'upstream_bad_request', 400],
    [413, 'request_too_large', 'upstream_bad_request', 400],
    [404, 'not_found_error', 'upstream_error', 502],
    [429, 'rate_limit_error', 'upstream_rate_limited', 429],
    [500, 'api_error', 'upstream_error', 502],
    [504, 'timeout_error', 'upstream_timeout', 504],
    [529, 'overloaded_error', 'upstream_error', 502],
  ] as const;
  for (const [status, type, code, gatewayStatus] of cases) {
    const error = mapped(statusError(status, type, `said ${status}`));
    t.match(error, { code, status: gatewayStatus }, `${status} ${type} → ${code}`);
    t.equal(error.source, 'provider');
  }
});

t.test('a 400 carries the provider’s own message', async (t) => {
  const error = mapped(statusError(400, 'invalid_request_error', 'messages.1.content: text content blocks must be non-empty'));
  t.match(error.message, /messages\.1\.content: text content blocks must be non-empty/);
  t.equal(providerMessage(statusError(400, 'invalid_request_error', 'Bad thing')), 'Bad thing');
  const html = APIError.generate(502, undefined, '<html>' + 'x'.repeat(2000), new Headers());
  t.ok(providerMessage(html).startsWith('<html>xxx') && providerMessage(html).length <= 501, 'long pages are cut');
});

t.test('429 keeps the provider’s retry-after', async (t) => {
  t.equal(mapped(statusError(429, 'rate_limit_error', 'x', { 'retry-after': '7' })).headers['retry-after'], '7');
  t.equal(mapped(statusError(429, 'rate_limit_error', 'x', { 'retry-after-ms': '1500' })).headers['retry-after'], '2');
  t.same(mapped(statusError(429, 'rate_limit_error', 'x')).headers, {});
  const now = Date.parse('2025-01-01T00:00:00Z');
  t.equal(retryAfterSeconds(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now), 30);
  t.equal(retryAfterSeconds(new Headers({ 'retry-after': 'soon' })), undefined);
});

t.test('connection failures are upstream_unreachable, naming the cause', async (t) => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const error = mapped(new APIConnectionError({ cause: new TypeError('fetch failed', { cause: refused }) }));
  t.equal(error.code, 'upstream_unreachable');
  t.match(error.message, /ECONNREFUSED/);
  t.equal(mapped(new APIConnectionTimeoutError()).code, 'upstream_timeout');
});

t.test('an `event: error` frame (APIError without status) is a mid-stream provider error', async (t) => {
  const frame = new APIError(undefined, anthropicErrorBody('overloaded_error', 'Overloaded'), undefined, new Headers(), 'overloaded_error');
  t.match(mapped(frame, 'stream'), { code: 'upstream_error', message: /overloaded_error.*Overloaded/ });
  const limited = new APIError(undefined, anthropicErrorBody('rate_limit_error', 'slow'), undefined, new Headers(), 'rate_limit_error');
  t.match(mapped(limited, 'stream'), { code: 'upstream_rate_limited' });
});

t.test('aborts are returned unchanged, never converted', async (t) => {
  const abort = new APIUserAbortError();
  t.equal(mapAnthropicError(abort, live, 'request'), abort);
  const domAbort = new DOMException('This operation was aborted', 'AbortError');
  t.equal(mapAnthropicError(domAbort, live, 'stream'), domAbort);
  const controller = new AbortController();
  controller.abort();
  const sideEffect = new TypeError('terminated');
  t.equal(mapAnthropicError(sideEffect, controller.signal, 'stream'), sideEffect, 'whatever broke after our abort');
});

t.test('other failures: upstream_error, or a broken stream; GatewayErrors pass', async (t) => {
  t.match(mapped(new SyntaxError('Unexpected token <')), { code: 'upstream_error', message: /could not be read/ });
  t.match(mapped(new AnthropicError('Streaming is required')), { code: 'upstream_error', message: /Streaming is required/ });
  t.match(mapped(new TypeError('terminated'), 'stream'), { code: 'upstream_error', message: /connection_lost.*terminated/ });
  const own = new GatewayError('invalid_request', 'x');
  t.equal(mapAnthropicError(own, live, 'request'), own);
});
