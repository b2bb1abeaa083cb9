import t from 'tap';
import OpenAI from 'openai';
import { IpAllowList, compileAllowList, normalizeClientIp } from '../../src/policy/ip-allow-list.js';
import { expectApiError } from '../helpers/expect-api-error.js';
import { platformAdmin, startAdminGateway } from '../helpers/admin.js';
import { startGateway } from '../helpers/gateway.js';
import { seedKey } from '../helpers/seed-access.js';
import { sdkClient } from './access-world.js';

t.test('CIDR allow-lists, IPv4 and IPv6', async (t) => {
  const list = new IpAllowList(['203.0.113.0/24', '2001:db8::/32', '198.51.100.7']);
  t.ok(list.allows('203.0.113.1'));
  t.ok(list.allows('203.0.113.255'));
  t.notOk(list.allows('203.0.114.1'));
  t.ok(list.allows('198.51.100.7'), 'a bare address is itself');
  t.notOk(list.allows('198.51.100.8'));
  t.ok(list.allows('2001:db8::1'));
  t.ok(list.allows('2001:DB8:FFFF::1'), 'case does not matter');
  t.notOk(list.allows('2001:db9::1'));
  t.ok(list.allows('::ffff:203.0.113.9'), 'an IPv4-mapped IPv6 address is its IPv4 address');
  t.notOk(list.allows('not an ip'));
  t.equal(normalizeClientIp('::FFFF:10.0.0.1'), '10.0.0.1');
  t.equal(compileAllowList(null), null, 'no list: every address');
  t.notOk(new IpAllowList(['10.0.0.1/8', 'bogus']).allows('10.0.0.1'), 'entries that do not parse allow nothing (fail closed)');
  t.notOk(new IpAllowList([]).allows('127.0.0.1'));
});

t.test('without trusted proxies, X-Forwarded-For cannot choose the client IP', async (t) => {
  const gw = await startGateway(t);
  const key = seedKey(gw.app.db, gw.caller.consumerId, { allowedIps: ['203.0.113.0/24'] });
  gw.app.stateChanged();
  const error = await expectApiError(
    t,
    sdkClient(gw.baseURL, key.secret, '203.0.113.9').chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }] }),
    OpenAI.PermissionDeniedError,
    { code: 'ip_not_allowed', layer: 'ip' },
  );
  t.match((error?.error as { message?: string })?.message, /Client IP 127\.0\.0\.1 /, 'the socket address counts');
  t.match((error?.error as { hint?: string })?.hint, /GATEWAY_TRUSTED_PROXIES/);
});

t.test('with the loopback proxy trusted, the forwarded address counts', async (t) => {
  const gw = await startGateway(t, { env: { GATEWAY_TRUSTED_PROXIES: '127.0.0.0/8,::1' } });
  const key = seedKey(gw.app.db, gw.caller.consumerId, { allowedIps: ['203.0.113.0/24'] });
  gw.app.stateChanged();
  const answer = await sdkClient(gw.baseURL, key.secret, '203.0.113.9').chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }] });
  t.ok(answer.choices[0]);
  // A spoofed hop before an untrusted one does not help: the rightmost untrusted address counts.
  await expectApiError(
    t,
    sdkClient(gw.baseURL, key.secret, '203.0.113.9, 198.51.100.1').chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }] }),
    OpenAI.PermissionDeniedError,
    { code: 'ip_not_allowed' },
  );
});

t.test('a forwarded address that is no IP address matches no list, and is neither repeated nor logged as one', async (t) => {
  const gw = await startAdminGateway(t, { env: { GATEWAY_TRUSTED_PROXIES: '127.0.0.0/8,::1' } });
  const key = seedKey(gw.app.db, gw.caller.consumerId, { allowedIps: ['203.0.113.0/24'] });
  gw.app.stateChanged();
  const error = await expectApiError(
    t,
    sdkClient(gw.baseURL, key.secret, 'garbage<script>').chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': 'req_forwarded_garbage' } }),
    OpenAI.PermissionDeniedError,
    { code: 'ip_not_allowed' },
  );
  t.match(error?.message, /not an IP address/);
  t.notMatch(error?.message, /garbage/, 'the forwarded text is not repeated');
  const admin = await platformAdmin(gw);
  let row: { clientIp: string | null } | undefined;
  for (let waited = 0; row === undefined && waited < 5_000; waited += 50) {
    const found = await admin.get<{ clientIp: string | null }>('/admin/logs/req_forwarded_garbage');
    if (found.status === 200) row = found.body;
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.ok(row, 'the call has its row');
  t.equal(row?.clientIp, null, 'no client IP rather than the text');
});
