import t from 'tap';
import { upstreamErrorFromStatus, upstreamStreamError } from '../../../src/adapters/shared/upstream-error.js';

const providerKey = 'sk-PROVIDER' + 'x'.repeat(30);

t.test("a provider's words reach the caller without the credential it echoed", async (t) => {
  const badRequest = upstreamErrorFromStatus(400, `bad param; the auth header was Bearer ${providerKey}`);
  t.equal(badRequest.code, 'upstream_bad_request');
  t.match(badRequest.message, /bad param; the auth header was Bearer sk-\[redacted\]/);
  t.notMatch(badRequest.message + String(badRequest.stack), /x{30}/, 'neither in the message nor in the stack the log prints');
  const page = upstreamErrorFromStatus(502, `<html>nginx ${providerKey} AIza${'y'.repeat(35)}</html>`);
  t.notMatch(page.message, /x{30}|y{35}/);
  const midStream = upstreamStreamError('server_error', `failed for key ${providerKey}`);
  t.match(midStream.message, /failed for key sk-\[redacted\]/);
});
