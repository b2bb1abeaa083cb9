import t from 'tap';
import { lazyAdapterFactory } from '../../src/adapters/lazy-adapter-factory.js';
import { createMockAdapter } from '../../src/adapters/mock/mock-adapter.js';
import type { ProviderAdapter } from '../../src/adapters/types.js';
import type { CatalogModel, DeploymentRoute } from '../../src/catalog/model-catalog.js';
import { Invoker } from '../../src/routing/invoker.js';
import { newCallRecord } from '../../src/routing/call-record.js';

// A provider kind whose SDK is missing from the installation, as the lazy adapter sees it.
const brokenInstall = lazyAdapterFactory({
  load: async () => {
    throw new Error("Cannot find package '@example/sdk'");
  },
  embeddings: true,
  sdk: '@example/sdk',
});

function route(providerName: string, priority: number, adapter: ProviderAdapter): DeploymentRoute {
  return { providerId: `prov_${providerName}`, providerName, providerKind: 'openai', upstreamModel: `${providerName}-model`, weight: 1, priority, adapter };
}

function model(deployments: DeploymentRoute[]): CatalogModel {
  return { name: 'chat', type: 'chat', createdAt: new Date(0), pricing: null, dropParams: new Set(), deployments };
}

const request = { model: 'chat', messages: [{ role: 'user' as const, content: 'Say hello.' }] };
const context = () => ({ requestId: 'req_invoker', clientSignal: new AbortController().signal, record: newCallRecord() });

t.test('a deployment whose SDK cannot be loaded is skipped for the next deployment', async (t) => {
  const invoker = new Invoker(5_000);
  const call = context();
  const result = await invoker.chat(model([route('broken', 0, brokenInstall({})), route('healthy', 1, createMockAdapter({ options: { reply: 'Hi.' } }))]), request, call);
  t.equal(result.choices[0]?.message.content, 'Hi.');
  t.equal(call.record.attempts, 2);
  t.equal(call.record.providerName, 'healthy', 'the call log names the deployment that answered');
});

t.test('with no other deployment, the call fails with the 503 that blames the installation', async (t) => {
  const invoker = new Invoker(5_000);
  await t.rejects(invoker.chat(model([route('broken', 0, brokenInstall({}))]), request, context()), { code: 'service_unavailable', status: 503, message: /could not load the @example\/sdk SDK/ });
});
