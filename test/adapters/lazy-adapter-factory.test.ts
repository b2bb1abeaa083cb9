import t from 'tap';
import { lazyAdapterFactory } from '../../src/adapters/lazy-adapter-factory.js';
import { createMockAdapter } from '../../src/adapters/mock/mock-adapter.js';
import type { AdapterFactory, CallOptions, ProviderAdapter, StreamEvent } from '../../src/adapters/types.js';

// The module "loaded" here is the real mock adapter, which needs no SDK and no network.
const callOptions = (): CallOptions => ({ signal: new AbortController().signal, requestId: 'req_lazy', upstreamModel: 'any', dropParams: new Set() });
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Say hello.' }] };

function counted(factory: AdapterFactory) {
  const loads = { count: 0 };
  return { loads, load: async () => { loads.count += 1; return factory; } };
}

t.test('starts the import when the factory is called, once, and answers as the loaded adapter does', async (t) => {
  const module = counted(createMockAdapter);
  const settings = { options: { reply: 'Hello there.' } };
  const adapter = lazyAdapterFactory({ load: module.load, embeddings: true, sdk: 'mock' })(settings);
  t.equal(module.loads.count, 1, 'the import starts when the provider is configured, before any call');
  const direct = createMockAdapter(settings);

  t.same(await adapter.chat(request, callOptions()), await direct.chat(request, callOptions()));
  const events: StreamEvent[] = [];
  for await (const event of await adapter.chatStream(request, callOptions())) events.push(event);
  const directEvents: StreamEvent[] = [];
  for await (const event of await direct.chatStream(request, callOptions())) directEvents.push(event);
  t.same(events, directEvents);
  t.ok(adapter.embed, 'embed is there when the module declares embeddings');
  const embedding = await adapter.embed?.({ model: 'm', input: ['a'] }, callOptions());
  t.same(embedding, await direct.embed?.({ model: 'm', input: ['a'] }, callOptions()));
  t.equal(module.loads.count, 1, 'later calls reuse the loaded adapter');
});

t.test('has no embed when the module declares none, so the invoker can answer before it calls', async (t) => {
  const adapter = lazyAdapterFactory({ load: async () => createMockAdapter, embeddings: false, sdk: 'mock' })({});
  t.equal(adapter.embed, undefined);
});

t.test('a failed import fails each call with a 503 that blames the installation, and nothing else', async (t) => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.teardown(() => process.off('unhandledRejection', onUnhandled));

  const importError = new Error("Cannot find package '@example/sdk' imported from /srv/gateway/dist/adapters/example.js");
  const adapter = lazyAdapterFactory({ load: async () => { throw importError; }, embeddings: true, sdk: '@example/sdk' })({});
  // The gateway's fault, said as such: a 503 naming the SDK, the import error kept as the cause for the log only.
  const unavailable = {
    code: 'service_unavailable',
    status: 503,
    layer: 'gateway',
    message: "The gateway could not load the @example/sdk SDK that this model's provider needs; this is a fault of the gateway's installation, not of the request.",
    hint: /reinstall the gateway's dependencies \(npm ci\) and restart/,
    cause: importError,
  };
  await t.rejects(adapter.chat(request, callOptions()), unavailable);
  await t.rejects(adapter.chatStream(request, callOptions()), unavailable);
  const embed = adapter.embed;
  if (embed === undefined) throw new Error('embed missing');
  await t.rejects(embed({ model: 'm', input: ['a'] }, callOptions()), unavailable);
  const refusal = await adapter.chat(request, callOptions()).catch((error: unknown) => error);
  t.notMatch((refusal as Error).message, /\/srv\/gateway/, 'no file path of the installation reaches the caller');
  await t.resolves(adapter.close?.() ?? Promise.resolve(), 'closing an adapter that never loaded is a no-op');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(unhandled, [], 'no unhandled rejection');
});

t.test('close reaches the loaded adapter', async (t) => {
  let closed = 0;
  const withClose: AdapterFactory = (settings) => {
    const inner: ProviderAdapter = createMockAdapter(settings);
    return { ...inner, close: async () => { closed += 1; } };
  };
  const adapter = lazyAdapterFactory({ load: async () => withClose, embeddings: true, sdk: 'mock' })({});
  await adapter.close?.();
  t.equal(closed, 1);
});
