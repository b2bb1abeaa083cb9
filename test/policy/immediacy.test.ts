import { eq } from 'drizzle-orm';
import t from 'tap';
import OpenAI from 'openai';
import { subscriptions } from '../../src/db/schema.js';
import { platformAdmin, startAdminGateway } from '../helpers/admin.js';
import { expectApiError } from '../helpers/expect-api-error.js';
import { seedConsumer, seedKey, seedService, seedSubscription, seedTenant } from '../helpers/seed-access.js';

const ask = (client: OpenAI) => client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }] });

t.test('a revoke, a suspension, a rejection and an approval apply to the very next call', async (t) => {
  // Load shedding off: on a busy machine a 503 would stand in for the answer under test.
  const gw = await startAdminGateway(t, { env: { GATEWAY_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  const api = await platformAdmin(gw);
  const db = gw.app.db;
  const tenant = seedTenant(db);
  const consumer = seedConsumer(db, tenant.id);
  const service = seedService(db, ['mock-chat']);
  const approved = seedSubscription(db, consumer.id, service.id, 'approved');
  const first = seedKey(db, consumer.id);
  const second = seedKey(db, consumer.id);
  gw.app.stateChanged();
  const client = gw.client(first.secret);

  t.ok((await ask(client)).choices[0], 'allowed at first');

  t.test('revoking the key (admin API)', async (t) => {
    const revoked = await api.post(`/admin/keys/${first.row.id}/revoke`);
    t.equal(revoked.status, 200, revoked.text);
    await expectApiError(t, ask(client), OpenAI.AuthenticationError, { status: 401, code: 'api_key_revoked' });
    t.ok((await ask(gw.client(second.secret))).choices[0], "the app's other key still works");
  });

  t.test('suspending and reactivating the tenant (admin API)', async (t) => {
    const other = gw.client(second.secret);
    t.equal((await api.patch(`/admin/tenants/${tenant.id}`, { status: 'suspended' })).status, 200);
    await expectApiError(t, ask(other), OpenAI.PermissionDeniedError, { status: 403, code: 'tenant_suspended' });
    t.equal((await api.patch(`/admin/tenants/${tenant.id}`, { status: 'active' })).status, 200);
    t.ok((await ask(other)).choices[0], 'allowed again');
  });

  t.test('a pending request, then its rejection, then an approved one (database + stateChanged)', async (t) => {
    const other = gw.client(second.secret);
    db.update(subscriptions).set({ status: 'revoked', decidedAt: new Date() }).where(eq(subscriptions.id, approved.id)).run();
    const request = seedSubscription(db, consumer.id, service.id, 'pending', { requestedAt: new Date(Date.now() + 1000) });
    gw.app.stateChanged();
    await expectApiError(t, ask(other), OpenAI.PermissionDeniedError, { code: 'subscription_pending' });

    db.update(subscriptions).set({ status: 'rejected', reason: 'not this quarter', decidedAt: new Date() }).where(eq(subscriptions.id, request.id)).run();
    gw.app.stateChanged();
    const rejected = await expectApiError(t, ask(other), OpenAI.PermissionDeniedError, { code: 'subscription_rejected' });
    t.match((rejected?.error as { message?: string })?.message, new RegExp(`${request.id} .*rejected \\(reason: not this quarter\\)`));

    const again = seedSubscription(db, consumer.id, service.id, 'pending', { requestedAt: new Date(Date.now() + 2000) });
    gw.app.stateChanged();
    await expectApiError(t, ask(other), OpenAI.PermissionDeniedError, { code: 'subscription_pending' });
    db.update(subscriptions).set({ status: 'approved', decidedAt: new Date() }).where(eq(subscriptions.id, again.id)).run();
    gw.app.stateChanged();
    t.ok((await ask(other)).choices[0], 'approved: allowed on the next call');
  });
});
