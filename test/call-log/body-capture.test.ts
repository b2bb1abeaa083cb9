import t from 'tap';
import { capText, captureBody, redactBody } from '../../src/call-log/body-capture.js';

t.test('credential fields are redacted at any depth', async (t) => {
  const redacted = redactBody({
    model: 'm',
    api_key: 'sk-live-123456789',
    nested: { Authorization: 'Bearer abcdefghijk', password: 'hunter2hunter2', list: [{ token: 'x' }] },
    max_tokens: 12,
  });
  t.same(redacted, { model: 'm', api_key: '[redacted]', nested: { Authorization: '[redacted]', password: '[redacted]', list: [{ token: '[redacted]' }] }, max_tokens: 12 });
});

t.test('key-shaped strings in free text are redacted', async (t) => {
  const text = redactBody('my key is gw-AbCdEf0123456789_xyz and sk-proj-abcdefgh12345678, header Bearer eyJhbGciOiJIUzI1NiJ9.x.y');
  t.notMatch(text, /AbCdEf0123456789/);
  t.notMatch(text, /abcdefgh12345678/);
  t.notMatch(text, /eyJhbGci/);
  t.match(text, /gw-\[redacted\]/);
  t.match(text, /Bearer \[redacted\]/);
});

t.test('data URLs keep their media type and lose their payload', async (t) => {
  const payload = 'A'.repeat(50_000);
  const body = { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${payload}` } }] }] };
  const stored = captureBody(body);
  t.ok(stored !== null && stored.length < 500, 'the payload is gone');
  t.match(stored, /data:image\/png;base64,\[50000 characters omitted\]/);
});

t.test('bodies are capped at 16 KiB and say how large they were', async (t) => {
  const stored = captureBody({ text: 'é'.repeat(20_000) });
  t.ok(stored !== null);
  const head = stored?.split('…[truncated')[0] ?? '';
  t.ok(Buffer.byteLength(head) <= 16 * 1024, 'the kept part is within the cap');
  t.match(stored, /…\[truncated: \d+ bytes in all\]$/);
  t.notMatch(head, /\uFFFD/, 'no broken character at the cut');
  t.equal(capText('short'), 'short');
});

t.test('a JSON reply payload is parsed so its fields are redacted; plain text stays text', async (t) => {
  t.equal(captureBody('{"error":{"message":"no","api_key":"sk-abcdefghijkl"}}'), '{"error":{"message":"no","api_key":"[redacted]"}}');
  t.equal(captureBody('not json gw-ABCDEFGHIJKL123'), 'not json gw-[redacted]');
  t.equal(captureBody(undefined), null);
  t.equal(captureBody(''), null);
});
