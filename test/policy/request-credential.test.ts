import t from 'tap';
import { credentialFrom } from '../../src/policy/request-credential.js';

const key = 'gw-' + 'k'.repeat(40);

t.test('a key in Authorization: Bearer or x-api-key is read, as its hash', async (t) => {
  t.match(credentialFrom({ authorization: `Bearer ${key}` }), { kind: 'hash' });
  t.match(credentialFrom({ authorization: `bearer ${key}` }), { kind: 'hash' });
  t.match(credentialFrom({ 'x-api-key': key }), { kind: 'hash' });
  t.same(credentialFrom({}), { kind: 'none' }, 'nothing sent: nothing to name');
});

t.test('a key put where the gateway does not read it is named, without echoing the key', async (t) => {
  const cases: Array<[string, Parameters<typeof credentialFrom>[0], string, RegExp]> = [
    ['Basic', { authorization: `Basic ${Buffer.from(`x:${key}`).toString('base64')}` }, '', /uses the 'Basic' scheme/],
    ['no scheme', { authorization: key }, '', /without the 'Bearer ' scheme/],
    ['Bearer alone', { authorization: 'Bearer' }, '', /'Bearer' with no key/],
    ['two words after Bearer', { authorization: `Bearer ${key} extra` }, '', /more than one word after Bearer/],
    ['a key-like scheme is not echoed', { authorization: `${key} ${key}` }, '', /a scheme other than Bearer/],
    ['Azure style', { 'api-key': key }, '', /'api-key' header/],
    ['Google style', { 'x-goog-api-key': key }, '', /'x-goog-api-key' header/],
    ['query string', {}, `/v1/models?api_key=${key}`, /query string/],
    ['query string, key=', {}, `/v1/models?limit=2&key=${key}`, /query string/],
  ];
  for (const [name, headers, url, expected] of cases) {
    const credential = credentialFrom(headers, url);
    t.equal(credential.kind, 'none', name);
    const misplaced = credential.kind === 'none' ? (credential.misplaced ?? '') : '';
    t.match(misplaced, expected, name);
    t.notMatch(misplaced, /k{10}/, `${name}: the key is not repeated`);
  }
});
