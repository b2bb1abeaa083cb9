import t from 'tap';
import { scrubbingCredential } from '../../src/adapters/credential-scrubbing.js';
import type { ProviderAdapter } from '../../src/adapters/types.js';
import { GatewayError } from '../../src/errors.js';

const credential = 'self-hosted-9f8e7d6c';
const options = { signal: new AbortController().signal, requestId: 'req_1', upstreamModel: 'm', dropParams: new Set<string>() };
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'x' }] };

/** An adapter whose every call fails with an error that quotes the credential, deep in its cause chain too. */
function echoingAdapter(): ProviderAdapter & { closed: boolean } {
  const fail = () => {
    const cause = new Error(`upstream said: bad key ${credential}`);
    return Promise.reject(new GatewayError('upstream_bad_request', `The provider rejected the request: key ${credential} is wrong`, { cause }));
  };
  return { closed: false, chat: fail, chatStream: fail, embed: fail, async close() { this.closed = true; } };
}

t.test("every failing call comes back without the provider's credential, in the message, the stack and the causes", async (t) => {
  const inner = echoingAdapter();
  const adapter = scrubbingCredential(inner, credential);
  for (const call of [() => adapter.chat(request, options), () => adapter.chatStream(request, options), () => adapter.embed?.({ model: 'e', input: 'x' }, options)]) {
    const error = (await call()?.catch((caught: unknown) => caught)) as GatewayError;
    t.ok(error instanceof GatewayError, 'the same error, not a new one');
    t.match(error.message, /key \[redacted\] is wrong/);
    t.notMatch(String(error.stack), new RegExp(credential));
    t.notMatch((error.cause as Error).message, new RegExp(credential));
  }
  await adapter.close?.();
  t.ok(inner.closed, 'close reaches the adapter');
});

t.test('no credential, or one too short to scrub safely: the adapter as it is', async (t) => {
  const inner = echoingAdapter();
  t.equal(scrubbingCredential(inner, undefined), inner);
  t.equal(scrubbingCredential(inner, 'abc'), inner);
});

t.test("an error in a running stream comes back without the provider's credential; the events before it pass untouched", async (t) => {
  let released = false;
  const events = async function* () {
    try {
      yield { type: 'delta', text: 'one' };
      yield { type: 'delta', text: 'two' };
      throw new GatewayError('upstream_error', `The provider's stream failed: token ${credential} expired`);
    } finally {
      released = true;
    }
  };
  const inner = { ...echoingAdapter(), chatStream: async () => events() } as unknown as ProviderAdapter;
  const stream = await scrubbingCredential(inner, credential).chatStream(request, options);
  const seen: unknown[] = [];
  const error = await (async () => {
    for await (const event of stream) seen.push(event);
  })().catch((caught: unknown) => caught as Error);
  t.same(seen, [{ type: 'delta', text: 'one' }, { type: 'delta', text: 'two' }]);
  t.ok(error instanceof GatewayError);
  t.match((error as Error).message, /token \[redacted\] expired/);
  t.notMatch(String((error as Error).stack), new RegExp(credential));
  t.ok(released, 'the stream was closed');

  released = false;
  const early = await scrubbingCredential(inner, credential).chatStream(request, options);
  for await (const event of early) {
    t.same(event, { type: 'delta', text: 'one' });
    break;
  }
  t.ok(released, 'a consumer that stops early still releases the upstream stream');
});
