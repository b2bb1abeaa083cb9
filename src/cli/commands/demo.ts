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

/**
 * The field `field` of an admin API answer, which must be a non-empty string. Anything else means
 * the URL reached something other than this gateway's admin API (another service on the port, a
 * proxy's page), and the demo must fail rather than print "tenant undefined".
 */
function stringField(client: AdminClient, what: string, answer: unknown, field: string): string {
  const value = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[field] : undefined;
  if (typeof value === 'string' && value !== '') return value;
  throw client.notTheGateway(what, answer, `"${field}"`);
}

async function findOrCreate(client: AdminClient, listPath: string, createPath: string, name: string, body: { name: string; tenantId?: string; [field: string]: unknown }): Promise<string> {
  // Matched here as well, so a list that ignores its filter cannot pick another tenant's app.
  const existing = (await client.listAll<Named>(listPath)).find(
    (item) => typeof item === 'object' && item !== null && item.name === name && (body.tenantId === undefined || item.tenantId === body.tenantId),
  );
  if (existing !== undefined) return stringField(client, `GET ${listPath}`, existing, 'id');
  return stringField(client, `POST ${createPath}`, await client.post<unknown>(createPath, body), 'id');
}

/** An approved subscription of the demo app to the demo service: reused, requested, approved as needed. */
async function ensureSubscription(client: AdminClient, consumerId: string, serviceId: string): Promise<string> {
  const listPath = `/admin/subscriptions?consumerId=${encodeURIComponent(consumerId)}`;
  const mine = (await client.listAll<Subscription>(listPath)).filter(
    (item) => typeof item === 'object' && item !== null && item.consumerId === consumerId && item.serviceId === serviceId,
  );
  const approved = mine.find((item) => item.status === 'approved');
  if (approved !== undefined) return stringField(client, `GET ${listPath}`, approved, 'id');
  const pending = mine.find((item) => item.status === 'pending');
  const what = pending === undefined ? 'POST /admin/subscriptions' : `GET ${listPath}`;
  const subscription = pending ?? (await client.post<unknown>('/admin/subscriptions', { consumerId, serviceId }));
  const id = stringField(client, what, subscription, 'id');
  const status = stringField(client, what, subscription, 'status');
  if (status !== 'approved') await client.post(`/admin/subscriptions/${encodeURIComponent(id)}/approve`);
  return id;
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
  const keysPath = `/admin/consumers/${encodeURIComponent(consumerId)}/keys`;
  const created = await client.post<unknown>(keysPath, { name: `quick-start ${new Date().toISOString()}` });
  const keyId = stringField(client, `POST ${keysPath}`, created, 'id');
  const key = stringField(client, `POST ${keysPath}`, created, 'key');
  return { baseURL: `${client.baseUrl}/v1`, tenantId, consumerId, serviceId, subscriptionId, keyId, key };
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
