import t from 'tap';
import { readFixture } from '../../helpers/fixtures.js';
import {
  GEMINI_FAKE_REPLY,
  geminiFixtureStream,
  geminiRateLimitBody,
  startGeminiFake,
} from '../../fake-upstreams/gemini.js';

/** The fake is shared with the end-to-end tests: its wire must be Gemini's, checked here without the SDK. */
t.test('the Gemini fake speaks the v1beta wire', async (t) => {
  const gemini = await startGeminiFake({ apiKey: 'right' });
  t.teardown(() => gemini.close());
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gemini.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const contents = [{ role: 'user', parts: [{ text: 'hi' }] }];

  const byHeader = await post('/v1beta/models/g:generateContent', { contents }, { 'x-goog-api-key': 'right' });
  t.equal(byHeader.status, 200);
  t.match(await byHeader.json(), { candidates: [{ content: { parts: [{ text: GEMINI_FAKE_REPLY }] }, finishReason: 'STOP' }] });

  const byQuery = await post('/v1beta/models/g:streamGenerateContent?alt=sse&key=right', { contents });
  t.equal(byQuery.headers.get('content-type'), 'text/event-stream');
  const text = await byQuery.text();
  const frames = text.split('\r\n\r\n');
  t.equal(frames.pop(), '', 'the body ends with a complete frame');
  t.equal(frames.length, 3);
  for (const frame of frames) {
    t.match(frame, /^data: \{[^\n\r]*\}$/, 'exactly one data line of one-line JSON, no event or comment lines');
  }

  const wrongKey = await post('/v1beta/models/g:generateContent', { contents }, { 'x-goog-api-key': 'wrong' });
  t.equal(wrongKey.status, 400);
  t.match(await wrongKey.json(), { error: { code: 400, status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] } });
  t.equal((await post('/v1beta/models/g:generateContent', { contents })).status, 403, 'no key at all');
  t.equal((await post('/v1/models/g:generateContent', { contents }, { 'x-goog-api-key': 'right' })).status, 404, 'unknown path');

  const batch = await post('/v1beta/models/e:batchEmbedContents', { requests: [{ model: 'models/other', content: { parts: [{ text: 'x' }] } }] }, { 'x-goog-api-key': 'right' });
  t.equal(batch.status, 400, 'a batch request naming another model is refused, as Gemini does');
  t.equal(gemini.requests.length, 6, 'every request is recorded');
});

t.test('helpers: the fixture replays byte for byte; the 429 carries RetryInfo', async (t) => {
  const scripted = geminiFixtureStream();
  t.equal(scripted.kind, 'sse');
  if (scripted.kind === 'sse') t.equal(scripted.frames.join(''), readFixture('derived/gemini-streamGenerateContent-functionCall.alt-sse.txt'));
  t.match(geminiRateLimitBody('12s'), { error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{}, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' }] } });
});
