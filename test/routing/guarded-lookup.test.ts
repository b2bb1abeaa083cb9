import t from 'tap';
import type { LookupAddress } from 'node:dns';
import { AddressRefusal, guardedLookup } from '../../src/routing/guarded-lookup.js';

/** Calls the lookup as a socket does and settles with what it handed back. */
function look(answer: readonly string[], options: { all?: boolean; family?: number }) {
  const lookup = guardedLookup(async () => answer);
  return new Promise<string | LookupAddress[]>((resolve, reject) =>
    lookup('images.test', options, (error, address) => (error ? reject(error) : resolve(address))),
  );
}

t.test('the lookup hands the socket only checked addresses, in the form the socket asked for', async (t) => {
  t.same(await look(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'], { all: true }), [
    { address: '93.184.215.14', family: 4 },
    { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
  ]);
  t.equal(await look(['2606:2800:21f:cb07:6820:80da:af6b:8b2c', '93.184.215.14'], { family: 4 }), '93.184.215.14');
  await t.rejects(look(['93.184.215.14', '::ffff:7f00:1'], { all: true }), new AddressRefusal('it resolves to a private or loopback address'));
  await t.rejects(look([], { all: true }), new AddressRefusal('its host does not resolve'));
  await t.rejects(look(['2606:2800:21f:cb07:6820:80da:af6b:8b2c'], { family: 4 }), new AddressRefusal('its host does not resolve'));
});
