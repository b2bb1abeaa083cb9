import t from 'tap';
import { hasSecretQueryParameter, redactSecretText, redactUrl } from '../../src/secrets/redact-secrets.js';

t.test('key-shaped strings in free text are replaced', async (t) => {
  t.equal(redactSecretText('key gw-abcdefgh12345678 and sk-ant-abcdefgh123'), 'key gw-[redacted] and sk-[redacted]');
  t.equal(redactSecretText('Authorization: Bearer abc.def.ghi-123'), 'Authorization: Bearer [redacted]');
  t.equal(redactSecretText('nothing secret here'), 'nothing secret here');
});

t.test('URLs: credential-named query values and key-shaped strings go, the rest stays', async (t) => {
  t.equal(redactUrl('/v1/models'), '/v1/models');
  t.equal(redactUrl('/v1/models?api_key=whatever&limit=2'), '/v1/models?api_key=[redacted]&limit=2');
  t.equal(redactUrl('/v1beta/models?key=AIza-not-shaped'), '/v1beta/models?key=[redacted]');
  t.equal(redactUrl('/x?access%5Ftoken=t1&Token=t2&flag'), '/x?access%5Ftoken=[redacted]&Token=[redacted]&flag');
  t.equal(redactUrl('/x?note=gw-abcdefgh12345678'), '/x?note=gw-[redacted]');
  t.equal(redactUrl('/x?%E0%A4%A=1'), '/x?%E0%A4%A=1', 'a malformed escape in a name is left as it is');
});

t.test('a credential-named query parameter is recognised by name, decoded', async (t) => {
  t.ok(hasSecretQueryParameter('/v1/models?api_key=x'));
  t.ok(hasSecretQueryParameter('/v1/models?limit=2&KEY=x'));
  t.ok(hasSecretQueryParameter('/v1/models?access%5Ftoken=x'));
  t.notOk(hasSecretQueryParameter('/v1/models?limit=2&keyword=x'));
  t.notOk(hasSecretQueryParameter('/v1/models'));
});
