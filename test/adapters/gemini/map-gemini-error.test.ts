import t from 'tap';
import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  type ErrorDetails,
} from '@google/generative-ai';
import { mapGeminiError } from '../../../src/adapters/gemini/map-gemini-error.js';
import { isAbortError } from '../../../src/adapters/shared/upstream-error.js';
import { GatewayError } from '../../../src/errors.js';
import { geminiApiKeyInvalidBody, geminiRateLimitBody } from '../../fake-upstreams/gemini.js';

const url = 'http://127.0.0.1:1/v1beta/models/m:generateContent';
const idle = new AbortController().signal;

/** Builds the error exactly as the SDK does from an HTTP answer (handleResponseNotOk). */
function fetchError(status: number, statusText: string, body: { error: { message: string; details?: ErrorDetails[] } }) {
  const details = body.error.details;
  const message = body.error.message + (details ? ` ${JSON.stringify(details)}` : '');
  return new GoogleGenerativeAIFetchError(`Error fetching from ${url}: [${status} ${statusText}] ${message}`, status, statusText, details);
}

function detailsOf(body: Record<string, unknown>) {
  return body as { error: { message: string; details?: ErrorDetails[] } };
}

t.test('HTTP failures map onto the catalogue', async (t) => {
  const cases: Array<{ name: string; error: Error; expected: Record<string, unknown> }> = [
    {
      name: '400 API_KEY_INVALID is the gateway credential',
      error: fetchError(400, 'Bad Request', detailsOf(geminiApiKeyInvalidBody())),
      expected: { code: 'upstream_auth_failed', status: 502 },
    },
    { name: '401', error: fetchError(401, 'Unauthorized', { error: { message: 'no' } }), expected: { code: 'upstream_auth_failed' } },
    { name: '403', error: fetchError(403, 'Forbidden', { error: { message: 'denied' } }), expected: { code: 'upstream_auth_failed' } },
    {
      name: '429 with RetryInfo',
      error: fetchError(429, 'Too Many Requests', detailsOf(geminiRateLimitBody('34.4s'))),
      expected: { code: 'upstream_rate_limited', status: 429, headers: { 'retry-after': '35' }, message: /exceeded your current quota\.?[^[]*$/ },
    },
    {
      name: '400 keeps the provider message without the SDK prefix',
      error: fetchError(400, 'Bad Request', { error: { message: 'Function call is missing a thought_signature.' } }),
      expected: { code: 'upstream_bad_request', status: 400, message: 'The provider rejected the request (HTTP 400): Function call is missing a thought_signature.' },
    },
    { name: '500', error: fetchError(500, 'Internal Server Error', { error: { message: 'boom' } }), expected: { code: 'upstream_error', status: 502 } },
    { name: '503', error: fetchError(503, 'Service Unavailable', { error: { message: 'overloaded' } }), expected: { code: 'upstream_error' } },
  ];
  for (const { name, error, expected } of cases) {
    const mapped = mapGeminiError(error, idle);
    t.type(mapped, GatewayError, name);
    t.match(mapped, expected, name);
  }
  const rateLimited = mapGeminiError(fetchError(429, 'Too Many Requests', { error: { message: 'slow down' } }), idle) as GatewayError;
  t.same(rateLimited.headers, {}, 'no RetryInfo, no retry-after');
});

t.test('failures without an HTTP answer', async (t) => {
  t.match(mapGeminiError(new GoogleGenerativeAIError(`Error fetching from ${url}: fetch failed`), idle), {
    code: 'upstream_unreachable',
    message: /fetch failed/,
  });
  t.match(mapGeminiError(new GoogleGenerativeAIError('Error reading from the stream'), idle), { code: 'upstream_error' });
  t.match(mapGeminiError(new GoogleGenerativeAIError('Failed to parse stream'), idle), { code: 'upstream_error', message: /Failed to parse stream/ });
});

t.test('aborts and foreign errors pass unchanged', async (t) => {
  const abort = new GoogleGenerativeAIAbortError('Request aborted when fetching …');
  t.equal(mapGeminiError(abort, idle), abort);
  const controller = new AbortController();
  controller.abort();
  const sdkAbort = new GoogleGenerativeAIError('Error reading from the stream');
  const restored = mapGeminiError(sdkAbort, controller.signal);
  t.match(restored, { name: 'AbortError', cause: sdkAbort }, 'once our signal fired, a failure is an abort, never a provider error');
  t.ok(isAbortError(restored));
  const domAbort = controller.signal.reason as Error;
  t.equal(mapGeminiError(domAbort, controller.signal), domAbort, 'an abort error is passed as it is');
  const gatewayError = new GatewayError('invalid_request', 'x');
  t.equal(mapGeminiError(gatewayError, idle), gatewayError);
  const bug = new TypeError('x is undefined');
  t.equal(mapGeminiError(bug, idle), bug);
});
