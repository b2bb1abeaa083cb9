import t from 'tap';
import { orderDeployments } from '../../src/routing/order-deployments.js';
import type { DeploymentRoute } from '../../src/catalog/model-catalog.js';
import { createMockAdapter } from '../../src/adapters/mock/mock-adapter.js';

const adapter = createMockAdapter({});
const route = (providerName: string, priority: number, weight: number): DeploymentRoute => ({
  providerId: providerName,
  providerName,
  providerKind: 'mock',
  upstreamModel: 'm',
  weight,
  priority,
  adapter,
});

t.test('lower priority first; fallbacks after', async (t) => {
  const ordered = orderDeployments([route('backup', 1, 1), route('main', 0, 1)], () => 0.99);
  t.same(ordered.map((r) => r.providerName), ['main', 'backup']);
});

t.test('within a priority, traffic spreads by weight', async (t) => {
  const routes = [route('a', 0, 3), route('b', 0, 1)];
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const firsts = { a: 0, b: 0 };
  for (let i = 0; i < 4000; i += 1) firsts[orderDeployments(routes, random)[0]?.providerName as 'a' | 'b'] += 1;
  const share = firsts.a / 4000;
  t.ok(share > 0.7 && share < 0.8, `a goes first ~75% of the time (${share})`);
  t.equal(orderDeployments(routes, random).length, 2, 'every deployment stays in the order as a fallback');
});
