import t, { type Test } from 'tap';
import { platformAdmin, tenantAdmin, type AdminApi, type ConsumerJson, type ErrorJson, type ListJson, type TenantJson } from '../../helpers/admin.js';
import { startCatalogGateway } from '../../helpers/catalog-gateway.js';
import type { RunningGateway } from '../../helpers/gateway.js';

interface SubscriptionJson {
  id: string;
  consumerId: string;
  tenantId: string;
  serviceId: string;
  serviceName: string;
  status: string;
  reason: string | null;
  requestedAt: string;
  requestedBy: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
}

interface World {
  gw: RunningGateway;
  api: AdminApi;
  tenant: TenantJson;
  consumer: ConsumerJson;
  manual: string;
  auto: string;
}

async function world(t: Test): Promise<World> {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'app' })).body;
  const manual = (await api.post<{ id: string }>('/admin/services', { name: 'frontier', approval: 'manual', models: ['mock-chat'] })).body.id;
  const auto = (await api.post<{ id: string }>('/admin/services', { name: 'basic', approval: 'auto', models: ['mock-embed'] })).body.id;
  return { gw, api, tenant, consumer, manual, auto };
}

t.test('manual approval: pending, then approved, then revoked; who and when are recorded', async (t) => {
  const { api, tenant, consumer, manual } = await world(t);
  const before = new Date().toISOString();
  const requested = await api.post<SubscriptionJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: manual });
  t.equal(requested.status, 201, requested.text);
  t.match(requested.body, {
    id: /^sub_[0-9a-f]{24}$/,
    consumerId: consumer.id,
    tenantId: tenant.id,
    serviceId: manual,
    serviceName: 'frontier',
    status: 'pending',
    requestedBy: 'admin',
    decidedAt: null,
    decidedBy: null,
  });
  t.ok(requested.body.requestedAt >= before);
  const id = requested.body.id;

  const queue = await api.get<ListJson<SubscriptionJson>>('/admin/subscriptions?status=pending');
  t.same(queue.body.data.map((item) => item.id), [id], 'the approval queue holds it');

  const approved = await api.post<SubscriptionJson>(`/admin/subscriptions/${id}/approve`);
  t.equal(approved.status, 200, approved.text);
  t.match(approved.body, { status: 'approved', decidedBy: 'admin', reason: null });
  t.ok(approved.body.decidedAt !== null && approved.body.decidedAt >= requested.body.requestedAt, 'decidedAt recorded');
  t.same((await api.get<ListJson<SubscriptionJson>>('/admin/subscriptions?status=pending')).body.data, [], 'the queue is empty');

  const revoked = await api.post<SubscriptionJson>(`/admin/subscriptions/${id}/revoke`, { reason: 'contract ended' });
  t.match(revoked.body, { status: 'revoked', reason: 'contract ended', decidedBy: 'admin' });
  t.match((await api.get<SubscriptionJson>(`/admin/subscriptions/${id}`)).body, { status: 'revoked', reason: 'contract ended' });

  const again = await api.post<SubscriptionJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: manual });
  t.equal(again.status, 201, 'after a revocation the app may ask again');
  t.not(again.body.id, id);
});

t.test('auto approval: approved at once, by the system', async (t) => {
  const { api, consumer, auto } = await world(t);
  const requested = await api.post<SubscriptionJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: auto });
  t.match(requested.body, { status: 'approved', requestedBy: 'admin', decidedBy: 'system:auto-approval' });
  t.equal(requested.body.decidedAt, requested.body.requestedAt);
});

t.test('invalid transitions are 409s that say the current state and what is possible', async (t) => {
  const { api, consumer, manual, auto } = await world(t);
  const pending = (await api.post<SubscriptionJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: manual })).body.id;
  const revokePending = await api.post<ErrorJson>(`/admin/subscriptions/${pending}/revoke`, { reason: 'x' });
  t.equal(revokePending.status, 409);
  t.match(revokePending.body.error, {
    code: 'resource_conflict',
    message: new RegExp(`'${pending}' is pending: only approved subscriptions can be revoked`),
    hint: /approved \(POST .*\/approve\) or rejected \(POST .*\/reject\)/,
  });

  const rejected = await api.post<SubscriptionJson>(`/admin/subscriptions/${pending}/reject`, { reason: 'budget' });
  t.match(rejected.body, { status: 'rejected', reason: 'budget', decidedBy: 'admin' });
  for (const decision of ['approve', 'reject', 'revoke']) {
    const refused = await api.post<ErrorJson>(`/admin/subscriptions/${pending}/${decision}`, { reason: 'x' });
    t.equal(refused.status, 409, `${decision} a rejected one: 409`);
    t.match(refused.body.error, { message: /rejected/, hint: /closed; the app can ask again with POST \/admin\/subscriptions/ });
  }

  const approved = (await api.post<SubscriptionJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: auto })).body.id;
  const approveApproved = await api.post<ErrorJson>(`/admin/subscriptions/${approved}/approve`);
  t.match(approveApproved.body.error, { code: 'resource_conflict', message: /is already approved/, hint: /only be revoked/ });
  t.equal((await api.post<ErrorJson>(`/admin/subscriptions/${approved}/reject`, { reason: 'x' })).status, 409, 'reject an approved one: 409');
  t.equal((await api.post<ErrorJson>('/admin/subscriptions/sub_nope/approve')).status, 404, 'unknown id: 404');
});

t.test('a second pending or approved subscription to the same service is a 409 naming the first', async (t) => {
  const { api, consumer, manual, auto } = await world(t);
  const first = (await api.post<SubscriptionJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: manual })).body.id;
  const pendingTwice = await api.post<ErrorJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: manual });
  t.equal(pendingTwice.status, 409);
  t.match(pendingTwice.body.error, { code: 'resource_conflict', message: new RegExp(`subscription to service 'frontier' that is pending: ${first}`) });
  await api.post('/admin/subscriptions', { consumerId: consumer.id, serviceId: auto });
  t.match((await api.post<ErrorJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: auto })).body.error, { message: /service 'basic' that is approved/ });
  t.equal((await api.post<ErrorJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: 'svc_nope' })).body.error.param, 'serviceId', 'unknown service: 404 naming it');
});

t.test('tenant admins request and see their own tenant only, and cannot decide', async (t) => {
  const { gw, api, tenant, consumer, manual } = await world(t);
  const other = (await api.post<TenantJson>('/admin/tenants', { name: 'other' })).body;
  const otherConsumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: other.id, name: 'their-app' })).body;
  const theirs = (await api.post<SubscriptionJson>('/admin/subscriptions', { consumerId: otherConsumer.id, serviceId: manual })).body;
  const mine = await tenantAdmin(gw, api, tenant.id, 'acme-admin');

  const requested = await mine.post<SubscriptionJson>('/admin/subscriptions', { consumerId: consumer.id, serviceId: manual });
  t.equal(requested.status, 201);
  t.match(requested.body, { status: 'pending', requestedBy: 'acme-admin' });

  const foreign = await mine.post<ErrorJson>('/admin/subscriptions', { consumerId: otherConsumer.id, serviceId: manual });
  t.equal(foreign.status, 404, "another tenant's consumer is not found");
  t.match(foreign.body.error, { code: 'resource_not_found', param: 'consumerId' });
  const missing = await mine.post<ErrorJson>('/admin/subscriptions', { consumerId: 'con_nope', serviceId: manual });
  t.equal(missing.body.error.message.replace('con_nope', 'X'), foreign.body.error.message.replace(otherConsumer.id, 'X'), 'worded as for an id that does not exist');

  t.same((await mine.get<ListJson<SubscriptionJson>>('/admin/subscriptions')).body.data.map((item) => item.id), [requested.body.id], 'lists its own only');
  t.same((await mine.get<ListJson<SubscriptionJson>>('/admin/subscriptions?status=pending')).body.data.map((item) => item.id), [requested.body.id]);
  t.equal((await mine.get(`/admin/subscriptions/${theirs.id}`)).status, 404);
  t.equal((await mine.get(`/admin/subscriptions?consumerId=${otherConsumer.id}`)).status, 404);
  t.equal((await api.get<ListJson<SubscriptionJson>>('/admin/subscriptions?status=pending')).body.data.length, 2, 'the platform admin sees both');
  t.same(
    (await api.get<ListJson<SubscriptionJson>>(`/admin/subscriptions?consumerId=${otherConsumer.id}`)).body.data.map((item) => item.id),
    [theirs.id],
    'filtered by consumer',
  );

  const decide = await mine.post<ErrorJson>(`/admin/subscriptions/${requested.body.id}/approve`);
  t.equal(decide.status, 403);
  t.equal(decide.body.error.code, 'admin_forbidden');
});
