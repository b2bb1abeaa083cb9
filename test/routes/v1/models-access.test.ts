import t from 'tap';
import OpenAI from 'openai';
import { expectApiError } from '../../helpers/expect-api-error.js';
import { startGateway } from '../../helpers/gateway.js';
import { seedKey } from '../../helpers/seed-access.js';
import { matrixConfig, sdkClient, seedMatrixWorld, trustLoopback } from '../../policy/access-world.js';

interface ModelJson {
  id: string;
  access?: { allowed: boolean; status?: number; code?: string; layer?: string };
}

t.test('/v1/models shows exactly what the key can call', async (t) => {
  const gw = await startGateway(t, { config: matrixConfig, env: trustLoopback });
  const world = seedMatrixWorld(gw.app.db);
  const modelsOnly = seedKey(gw.app.db, world.consumers.app.id, { scopes: ['models'] });
  const noModelsScope = seedKey(gw.app.db, world.consumers.app.id, { scopes: ['chat'] });
  gw.app.stateChanged();
  const list = async (key: string, query = '') => {
    const response = await fetch(`${gw.baseURL}/models${query}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: (await response.json()) as { data: ModelJson[]; error?: { code: string } } };
  };
  const ids = (body: { data: ModelJson[] }) => body.data.map((model) => model.id).sort();

  t.test('the list, through the SDK', async (t) => {
    const seen = [];
    for await (const model of sdkClient(gw.baseURL, world.keys.ok.secret).models.list()) seen.push(model.id);
    t.same(seen.sort(), ['mock-chat', 'mock-chat-2', 'mock-embed'], 'not the orphan: it is in no service');
    t.same(ids((await list(world.keys.keyModels.secret)).body), ['mock-embed'], "the key's model allow-list");
    t.match(await list(world.keys.embedOnly.secret), { status: 403, body: { error: { code: 'scope_missing' } } }, 'no models scope: refused');
    t.same(ids((await list(modelsOnly.secret)).body), [], 'models scope only: nothing it could call');
    t.same(ids((await list(world.pending.key.secret)).body), [], 'a pending subscription: nothing yet');
  });

  t.test('?include=all adds the others with their denial', async (t) => {
    const { body } = await list(world.pending.key.secret, '?include=all');
    const byId = new Map(body.data.map((model) => [model.id, model.access]));
    t.same(byId.get('mock-chat'), { allowed: false, status: 403, code: 'subscription_pending', layer: 'subscription' });
    t.match(byId.get('mock-embed'), { allowed: false, code: 'subscription_required' });
    t.match(byId.get('mock-orphan'), { allowed: false, code: 'subscription_required' });
    const ok = await list(world.keys.ok.secret, '?include=all');
    t.same(ok.body.data.find((model) => model.id === 'mock-chat')?.access, { allowed: true });
    const scoped = await list(world.keys.embedOnly.secret, '?include=all');
    t.equal(scoped.status, 403, 'listing still needs the models scope');
  });

  t.test('retrieve one', async (t) => {
    const client = sdkClient(gw.baseURL, world.pending.key.secret);
    await expectApiError(t, client.models.retrieve('mock-chat'), OpenAI.PermissionDeniedError, { status: 403, code: 'subscription_pending', layer: 'subscription' });
    await expectApiError(t, client.models.retrieve('nope'), OpenAI.NotFoundError, { code: 'model_not_found' });
    const withAccess = await fetch(`${gw.baseURL}/models/mock-chat?include=all`, { headers: { authorization: `Bearer ${world.pending.key.secret}` } });
    t.equal(withAccess.status, 200);
    t.match(await withAccess.json(), { id: 'mock-chat', access: { allowed: false, code: 'subscription_pending' } });
    t.equal((await sdkClient(gw.baseURL, world.keys.ok.secret).models.retrieve('mock-embed')).id, 'mock-embed');
    await expectApiError(t, sdkClient(gw.baseURL, modelsOnly.secret).models.retrieve('mock-chat'), OpenAI.PermissionDeniedError, { code: 'scope_missing' });
    await expectApiError(t, sdkClient(gw.baseURL, noModelsScope.secret).models.retrieve('mock-chat'), OpenAI.PermissionDeniedError, { code: 'scope_missing' });
    await expectApiError(t, sdkClient(gw.baseURL, world.keys.keyModels.secret).models.retrieve('mock-chat'), OpenAI.PermissionDeniedError, { code: 'model_not_permitted' });
  });
});
