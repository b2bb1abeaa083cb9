import t from 'tap';
import { adapterModules } from '../../src/adapters/registry.js';

// The registry declares, without loading a module, whether its adapter has embeddings; the
// invoker relies on it. Each module is loaded here and its real adapter checked against it.
for (const [kind, module] of Object.entries(adapterModules)) {
  t.test(`${kind}: the declared embeddings match the loaded adapter`, async (t) => {
    const adapter = (await module.load())({ baseUrl: 'http://127.0.0.1:9', apiKey: 'test-key' });
    t.teardown(() => adapter.close?.());
    t.equal(adapter.embed !== undefined, module.embeddings);
    t.type(adapter.chat, 'function');
    t.type(adapter.chatStream, 'function');
  });
}
