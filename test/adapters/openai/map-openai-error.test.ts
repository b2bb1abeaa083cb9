import t from 'tap';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { mapOpenAIError, providerMessage, retryAfterSeconds } from '../../../src/adapters/openai/map-openai-error.js';
import { GatewayError } from '../../../src/errors.js';

const live = new AbortController().signal;

function statusError(status: number, message: string, headers: Record<string, string> = {}): APIError {
  const body = { error: { message, type: 'invalid_request_error', code: null, param: null } };
  return APIError.generate(status, body, undefined, new Headers(headers));
}

function mapped(error: unknown): GatewayError {
  const result = mapOpenAIError(error, live, 'request');
  if (!(result instanceof GatewayError)) throw new Error(`not a GatewayError: ${String(result)}`);
  return result;
}

t.test('HTTP statuses map onto the catalogue', async (t) => {
  t.equal(mapped(statusError(401, 'Incorrect API key')).code, 'upstream_auth_failed');
  t.equal(mapped(statusError(403, 'Forbidden')).code, 'upstream_auth_failed');
  t.equal(mapped(statusError(500, 'boom')).code, 'upstream_error');
  t.equal(mapped(statusError(504, 'slow')).code, 'upstream_timeout');
  const badRequest = mapped(statusError(400, "Unrecognized request argument supplied: foo"));
  t.equal(badRequest.code, 'upstream_bad_request');
  t.match(badRequest.message, /Unrecognized request argument supplied: foo/);
  t.equal(badRequest.source, 'provider');
});

t.test('429 keeps the provider’s retry-after', async (t) => {
  const limited = mapped(statusError(429, 'Rate limit reached', { 'retry-after': '7' }));
  t.equal(limited.code, 'upstream_rate_limited');
  t.equal(limited.headers['retry-after'], '7');
  t.equal(mapped(statusError(429, 'x', { 'retry-after-ms': '1500' })).headers['retry-after'], '2', 'ms rounded up to seconds');
  t.same(mapped(statusError(429, 'x')).headers, {});
});

t.test('retry-after parsing: ms first, then seconds, then an HTTP date', async (t) => {
  t.equal(retryAfterSeconds(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 0.25);
  t.equal(retryAfterSeconds(new Headers({ 'retry-after': '3' })), 3);
  const now = Date.parse('2025-01-01T00:00:00Z');
  t.equal(retryAfterSeconds(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now), 30);
  t.equal(retryAfterSeconds(new Headers({ 'retry-after': 'soon' })), undefined);
  t.equal(retryAfterSeconds(undefined), undefined);
});

t.test('the provider message is its own words, cut when huge', async (t) => {
  t.equal(providerMessage(statusError(400, 'Bad thing')), 'Bad thing');
  const html = APIError.generate(502, undefined, '<html>' + 'x'.repeat(2000), new Headers());
  t.ok(providerMessage(html).startsWith('<html>xxx'));
  t.ok(providerMessage(html).length <= 501);
});

t.test('connection failures are upstream_unreachable, naming the cause', async (t) => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const error = mapped(new APIConnectionError({ cause: new TypeError('fetch failed', { cause: refused }) }));
  t.equal(error.code, 'upstream_unreachable');
  t.match(error.message, /ECONNREFUSED/);
  t.equal(mapped(new APIConnectionTimeoutError()).code, 'upstream_timeout');
});

t.test('a mid-stream error frame is upstream_error; a rate-limit frame is upstream_rate_limited', async (t) => {
  const frame = new APIError(undefined, { message: 'overloaded', type: 'server_error' }, undefined, new Headers());
  t.match(mapOpenAIError(frame, live, 'stream'), { code: 'upstream_error', message: /overloaded/ });
  const limited = new APIError(undefined, { message: 'slow down', type: 'rate_limit_exceeded' }, undefined, undefined);
  t.match(mapOpenAIError(limited, live, 'stream'), { code: 'upstream_rate_limited' });
});

t.test('aborts are returned unchanged, never converted', async (t) => {
  const abort = new APIUserAbortError();
  t.equal(mapOpenAIError(abort, live, 'request'), abort);
  const domAbort = new DOMException('This operation was aborted', 'AbortError');
  t.equal(mapOpenAIError(domAbort, live, 'stream'), domAbort);
  const controller = new AbortController();
  controller.abort();
  const sideEffect = new TypeError('terminated');
  t.equal(mapOpenAIError(sideEffect, controller.signal, 'stream'), sideEffect, 'whatever broke after our abort');
});

t.test('other failures: upstream_error, or a broken stream; GatewayErrors pass', async (t) => {
  t.match(mapped(new SyntaxError('Unexpected token <')), { code: 'upstream_error', message: /could not be read.*Unexpected token/ });
  t.match(mapped(new OpenAIError('Could not parse the answer')), { code: 'upstream_error', message: /provider call failed.*Could not parse the answer/ });
  const broken = mapOpenAIError(new TypeError('terminated ' + 'x'.repeat(2_000)), live, 'stream');
  t.match(broken, { code: 'upstream_error', message: /connection_lost.*the stream broke off \(terminated x+…\)/ });
  t.ok(broken instanceof GatewayError && broken.message.length < 700, 'a long cause is cut short');
  const gatewayError = new GatewayError('upstream_error', 'x');
  t.equal(mapOpenAIError(gatewayError, live, 'request'), gatewayError);
});
