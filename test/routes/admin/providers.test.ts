import t from 'tap';
import { platformAdmin, type ErrorJson, type ListJson } from '../../helpers/admin.js';
import { startCatalogGateway } from '../../helpers/catalog-gateway.js';

interface ProviderJson {
  id: string;
  name: string;
  kind: string;
  baseUrl: string | null;
  hasCredential: boolean;
  options: Record<string, unknown> | null;
  source: string;
  createdAt: string;
  updatedAt: string;
}

t.test('providers: create, read, update, delete', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);

  const created = await api.post<ProviderJson>('/admin/providers', {
    name: 'openai-main',
    kind: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    apiKey: 'sk-provider-secret-1',
    options: { organization: 'org-1' },
  });
  t.equal(created.status, 201, created.text);
  t.match(created.body, {
    id: /^prv_[0-9a-f]{24}$/,
    name: 'openai-main',
    kind: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    hasCredential: true,
    options: { organization: 'org-1' },
    source: 'api',
  });
  t.notOk('apiKey' in created.body || 'credential' in created.body, 'the credential is not in the answer');
  const id = created.body.id;

  const listed = await api.get<ListJson<ProviderJson>>('/admin/providers');
  t.equal(listed.status, 200);
  t.same(
    listed.body.data.map((provider) => provider.name),
    ['local-mock', 'openai-main'],
    'the configured provider and the new one, oldest first',
  );
  t.match((await api.get<ProviderJson>(`/admin/providers/${id}`)).body, { id, name: 'openai-main', hasCredential: true });

  const renamed = await api.patch<ProviderJson>(`/admin/providers/${id}`, { name: 'openai-eu', baseUrl: 'https://eu.api.openai.com/v1' });
  t.equal(renamed.status, 200, 'PATCH answers 200');
  t.match(renamed.body, { id, name: 'openai-eu', baseUrl: 'https://eu.api.openai.com/v1', hasCredential: true }, 'the credential is kept when apiKey is not sent');
  t.ok(renamed.body.updatedAt >= created.body.updatedAt);

  const cleared = await api.patch<ProviderJson>(`/admin/providers/${id}`, { apiKey: null, options: null });
  t.match(cleared.body, { hasCredential: false, options: null }, 'apiKey: null removes the credential');
  t.equal((await api.patch<ProviderJson>(`/admin/providers/${id}`, { apiKey: 'sk-new' })).body.hasCredential, true, 'a new one can be set');

  const duplicate = await api.post<ErrorJson>('/admin/providers', { name: 'openai-eu', kind: 'mock' });
  t.equal(duplicate.status, 409);
  t.match(duplicate.body.error, { code: 'resource_conflict', param: 'name', message: /openai-eu/ });
  const renameClash = await api.patch<ErrorJson>(`/admin/providers/${id}`, { name: 'local-mock' });
  t.match(renameClash.body.error, { code: 'resource_conflict', message: /local-mock/ });

  t.equal((await api.delete(`/admin/providers/${id}`)).status, 204);
  const gone = await api.get<ErrorJson>(`/admin/providers/${id}`);
  t.equal(gone.status, 404);
  t.match(gone.body.error, { code: 'resource_not_found', message: new RegExp(id) });
  t.equal((await api.delete<ErrorJson>(`/admin/providers/${id}`)).status, 404, 'deleting twice is 404');
  t.equal((await api.patch<ErrorJson>('/admin/providers/prv_nope', { kind: 'mock' })).status, 404);
});

t.test('an openai-compatible provider needs a baseUrl, also after a PATCH', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const missing = await api.post<ErrorJson>('/admin/providers', { name: 'ollama', kind: 'openai-compatible' });
  t.equal(missing.status, 400);
  t.match(missing.body.error, { code: 'invalid_request', param: 'baseUrl', hint: /\/v1/ });

  const ollama = await api.post<ProviderJson>('/admin/providers', { name: 'ollama', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1' });
  t.equal(ollama.status, 201);
  t.equal(ollama.body.hasCredential, false, 'no credential needed');
  const unset = await api.patch<ErrorJson>(`/admin/providers/${ollama.body.id}`, { baseUrl: null });
  t.match(unset.body.error, { code: 'invalid_request', param: 'baseUrl' });
  t.equal((await api.patch(`/admin/providers/${ollama.body.id}`, { kind: 'mock', baseUrl: null })).status, 200, 'fine once the kind needs none');
});

t.test('a provider still deployed by a model cannot be deleted; the error names the models', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const provider = (await api.post<ProviderJson>('/admin/providers', { name: 'shared', kind: 'mock' })).body;
  for (const name of ['beta-model', 'alpha-model']) {
    t.equal((await api.post('/admin/models', { name, type: 'chat', deployments: [{ provider: 'shared', model: 'm' }] })).status, 201);
  }
  const refused = await api.delete<ErrorJson>(`/admin/providers/${provider.id}`);
  t.equal(refused.status, 409);
  t.match(refused.body.error, { code: 'resource_in_use', message: /2 model\(s\): alpha-model, beta-model/, hint: /PATCH \/admin\/models/ });

  await api.delete('/admin/models/alpha-model');
  await api.patch('/admin/models/beta-model', { deployments: [{ provider: 'local-mock', model: 'm' }] });
  t.equal((await api.delete(`/admin/providers/${provider.id}`)).status, 204, 'deletable once no model uses it');
});
