import { AdminClient } from '../admin-client.js';
import type { OptionValues } from '../command-table.js';

interface Named {
  id: string;
  name: string;
  tenantId?: string;
}
interface Subscription {
  id: string;
  consumerId: string;
  serviceId: string;
  status: string;
}

export const DEMO = { tenant: 'demo', consumer: 'demo-app', service: 'demo-models', models: ['mock-chat', 'mock-embed'] } as const;

export interface DemoSetup {
  baseURL: string;
  tenantId: string;
  consumerId: string;
  serviceId: string;
  subscriptionId: string;
  keyId: string;
  key: string;
}

async function findOrCreate(client: AdminClient, listPath: string, createPath: string, name: string, body: { name: string; tenantId?: string; [field: string]: unknown }): Promise<string> {
  // Matched here as well, so a list that ignores its filter cannot pick another tenant's app.
  const existing = (await client.listAll<Named>(listPath)).find(
    (item) => item.name === name && (body.tenantId === undefined || item.tenantId === body.tenantId),
  );
  if (existing !== undefined) return existing.id;
  return (await client.post<Named>(createPath, body)).id;
}

/** An approved subscription of the demo app to the demo service: reused, requested, approved as needed. */
async function ensureSubscription(client: AdminClient, consumerId: string, serviceId: string): Promise<string> {
  const mine = (await client.listAll<Subscription>(`/admin/subscriptions?consumerId=${encodeURIComponent(consumerId)}`)).filter(
    (item) => item.consumerId === consumerId && item.serviceId === serviceId,
  );
  const approved = mine.find((item) => item.status === 'approved');
  if (approved !== undefined) return approved.id;
  const subscription = mine.find((item) => item.status === 'pending') ?? (await client.post<Subscription>('/admin/subscriptions', { consumerId, serviceId }));
  if (subscription.status !== 'approved') await client.post(`/admin/subscriptions/${encodeURIComponent(subscription.id)}/approve`);
  return subscription.id;
}

/**
 * The quick-start demo, idempotent: one tenant, one app, one service (auto approval) with the
 * offline mock models and the app's subscription to it, found by name when they exist. Only
 * the key is new on every run, since a key's secret can be shown only when it is created.
 */
export async function setUpDemo(client: AdminClient): Promise<DemoSetup> {
  const tenantId = await findOrCreate(client, '/admin/tenants', '/admin/tenants', DEMO.tenant, { name: DEMO.tenant });
  const consumerId = await findOrCreate(client, `/admin/consumers?tenantId=${encodeURIComponent(tenantId)}`, '/admin/consumers', DEMO.consumer, {
    tenantId,
    name: DEMO.consumer,
  });
  const serviceId = await findOrCreate(client, '/admin/services', '/admin/services', DEMO.service, {
    name: DEMO.service,
    approval: 'auto',
    models: [...DEMO.models],
  });
  const subscriptionId = await ensureSubscription(client, consumerId, serviceId);
  const created = await client.post<{ id: string; key: string }>(`/admin/consumers/${encodeURIComponent(consumerId)}/keys`, {
    name: `quick-start ${new Date().toISOString()}`,
  });
  return { baseURL: `${client.baseUrl}/v1`, tenantId, consumerId, serviceId, subscriptionId, keyId: created.id, key: created.key };
}

/** `gateway demo`: what quick-start.sh runs once the gateway is ready. */
export async function demo(values: OptionValues): Promise<void> {
  const setup = await setUpDemo(AdminClient.fromOptions(values));
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(setup)}\n`);
    return;
  }
  process.stdout.write(
    [
      `Demo ready: tenant ${setup.tenantId}, app ${setup.consumerId}, service ${setup.serviceId} (${DEMO.models.join(', ')}), subscription ${setup.subscriptionId}.`,
      `New key ${setup.keyId} (shown this once):`,
      setup.key,
      '',
    ].join('\n'),
  );
}
