import t from 'tap';
import { createAnthropicAdapter } from '../../src/adapters/anthropic/anthropic-adapter.js';
import { lazyAdapterFactory } from '../../src/adapters/lazy-adapter-factory.js';
import { createMockAdapter } from '../../src/adapters/mock/mock-adapter.js';
import { createOpenAIAdapter } from '../../src/adapters/openai/openai-adapter.js';
import type { ChatRequest, ProviderAdapter } from '../../src/adapters/types.js';
import type { CatalogModel, DeploymentRoute } from '../../src/catalog/model-catalog.js';
import { deploymentsAccepting } from '../../src/routing/deployment-check.js';

// Real adapters: a check judges the request alone, so nothing listens at this address.
const NOWHERE = 'http://127.0.0.1:9';

function route(providerName: string, priority: number, adapter: ProviderAdapter): DeploymentRoute {
  return { providerId: `prov_${providerName}`, providerName, providerKind: 'openai', upstreamModel: `${providerName}-model`, weight: 1, priority, adapter };
}

function model(deployments: DeploymentRoute[], dropParams: string[] = []): CatalogModel {
  return { name: 'chat', type: 'chat', createdAt: new Date(0), pricing: null, dropParams: new Set(dropParams), deployments };
}

const chat = (extra: Record<string, unknown> = {}) => ({ endpoint: 'chat' as const, request: { model: 'chat', messages: [{ role: 'user' as const, content: 'Hi' }], ...extra } as ChatRequest });

t.test('every deployment accepts a plain request: the model keeps all of them', async (t) => {
  const routes = [route('openai', 0, createOpenAIAdapter({ baseUrl: NOWHERE, apiKey: 'k' })), route('claude', 1, createAnthropicAdapter({ baseUrl: NOWHERE, apiKey: 'k' }))];
  const accepted = await deploymentsAccepting(model(routes), chat());
  t.same(accepted.map((r) => r.providerName), ['openai', 'claude']);
});

t.test('a parameter one provider cannot honour: the call goes only where it can be served', async (t) => {
  const routes = [route('claude', 0, createAnthropicAdapter({ baseUrl: NOWHERE, apiKey: 'k' })), route('openai', 1, createOpenAIAdapter({ baseUrl: NOWHERE, apiKey: 'k' }))];
  const accepted = await deploymentsAccepting(model(routes), chat({ seed: 7 }));
  t.same(accepted.map((r) => r.providerName), ['openai'], 'Anthropic has no seed; the OpenAI deployment takes it');
});

t.test('no deployment accepts: the refusal of the first by priority, whatever the list order', async (t) => {
  const routes = [route('mock', 1, createMockAdapter({})), route('claude', 0, createAnthropicAdapter({ baseUrl: NOWHERE, apiKey: 'k' }))];
  await t.rejects(deploymentsAccepting(model(routes), chat({ n: 2 })), { status: 400, code: 'unsupported_parameter', param: 'n', message: /Anthropic/ });
});

t.test("the model's dropParams apply to the check as to the call", async (t) => {
  const routes = [route('claude', 0, createAnthropicAdapter({ baseUrl: NOWHERE, apiKey: 'k' }))];
  const accepted = await deploymentsAccepting(model(routes, ['seed']), chat({ seed: 7 }));
  t.equal(accepted.length, 1);
});

t.test('a lazily loaded adapter is checked once its module is in; one that cannot load is left to the call', async (t) => {
  const lazyAnthropic = lazyAdapterFactory({ load: async () => createAnthropicAdapter, embeddings: false, sdk: '@anthropic-ai/sdk' })({ baseUrl: NOWHERE, apiKey: 'k' });
  await t.rejects(deploymentsAccepting(model([route('claude', 0, lazyAnthropic)]), chat({ logit_bias: { 1: 2 } })), { code: 'unsupported_parameter', param: 'logit_bias' });
  const broken = lazyAdapterFactory({
    load: async () => {
      throw new Error("Cannot find package '@example/sdk'");
    },
    embeddings: false,
    sdk: '@example/sdk',
  })({});
  const accepted = await deploymentsAccepting(model([route('broken', 0, broken)]), chat({ logit_bias: { 1: 2 } }));
  t.equal(accepted.length, 1, 'not a refusal of the request: the invoker meets the 503 and falls back as before');
});

t.test('embeddings: a token-array input is refused by Gemini, taken by OpenAI', async (t) => {
  const { createGeminiAdapter } = await import('../../src/adapters/gemini/gemini-adapter.js');
  const gemini = route('gemini', 0, createGeminiAdapter({ baseUrl: NOWHERE, apiKey: 'k' }));
  const tokens = { endpoint: 'embeddings' as const, request: { model: 'embed', input: [1, 2, 3] } };
  await t.rejects(deploymentsAccepting(model([gemini]), tokens), { code: 'unsupported_parameter', param: 'input' });
  const accepted = await deploymentsAccepting(model([gemini, route('openai', 1, createOpenAIAdapter({ baseUrl: NOWHERE, apiKey: 'k' }))]), tokens);
  t.same(accepted.map((r) => r.providerName), ['openai']);
});
