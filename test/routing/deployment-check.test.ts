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

/** A real adapter whose request check has a bug: it throws a plain TypeError, as a translation slip would. */
function withBrokenCheck(adapter: ProviderAdapter): ProviderAdapter {
  return {
    ...adapter,
    checkChat: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'text')");
    },
  };
}

t.test("an adapter whose check crashes is left out; another deployment serves the call, and the crash is reported", async (t) => {
  const crashed: string[] = [];
  const routes = [route('broken', 0, withBrokenCheck(createAnthropicAdapter({ baseUrl: NOWHERE, apiKey: 'k' }))), route('openai', 1, createOpenAIAdapter({ baseUrl: NOWHERE, apiKey: 'k' }))];
  const accepted = await deploymentsAccepting(model(routes), chat(), (error, failed) => crashed.push(`${failed.providerName}: ${(error as Error).name}`));
  t.same(accepted.map((r) => r.providerName), ['openai']);
  t.same(crashed, ['broken: TypeError']);
});

t.test('every adapter crashes or refuses: what the first by priority said is thrown, before the call counts', async (t) => {
  const crashed: string[] = [];
  const onCrash = (_error: unknown, failed: DeploymentRoute) => crashed.push(failed.providerName);
  const broken = route('broken', 0, withBrokenCheck(createOpenAIAdapter({ baseUrl: NOWHERE, apiKey: 'k' })));
  const claude = route('claude', 1, createAnthropicAdapter({ baseUrl: NOWHERE, apiKey: 'k' }));
  // The crash comes first: thrown as it is, for the error handler to log and answer 500.
  await t.rejects(deploymentsAccepting(model([claude, broken]), chat({ seed: 7 }), onCrash), TypeError);
  t.same(crashed, [], 'the thrown crash is not reported twice');
  // The refusal comes first: the 400, and the crash behind it is reported.
  await t.rejects(deploymentsAccepting(model([{ ...claude, priority: 0 }, { ...broken, priority: 1 }]), chat({ seed: 7 }), onCrash), { status: 400, code: 'unsupported_parameter', param: 'seed' });
  t.same(crashed, ['broken']);
});
