import { asc, eq } from 'drizzle-orm';
import { stringify } from 'yaml';
import { listModels } from '../admin/models-store.js';
import { listServices } from '../admin/services-store.js';
import type { GatewayDb } from '../db/client.js';
import { consumers, providers, services, subscriptions, tenants } from '../db/schema.js';

/** `openai` → `OPENAI_API_KEY`, `local-mock` → `LOCAL_MOCK_API_KEY`: the variable an exported file expects. */
export function credentialVariable(providerName: string): string {
  const stem = providerName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `${/^[0-9]/.test(stem) ? '_' : ''}${stem}_API_KEY`;
}

/** Leaves out what is null or empty, so the file shows only what differs from the defaults. */
function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== null && inner !== undefined && !(Array.isArray(inner) && inner.length === 0))) as Partial<T>;
}

/** The gateway's current objects in the shape of `gateway.config.yaml` (a plain object). */
export function exportConfigObject(db: GatewayDb) {
  const variables = new Set<string>();
  const providerList = db
    .select()
    .from(providers)
    .orderBy(asc(providers.createdAt), asc(providers.id))
    .all()
    .map((row) => {
      let variable = credentialVariable(row.name);
      for (let n = 2; variables.has(variable); n += 1) variable = `${credentialVariable(row.name)}_${n}`;
      variables.add(variable);
      return compact({ name: row.name, kind: row.kind, baseUrl: row.baseUrl, apiKey: row.credential === null ? null : `\${${variable}}`, options: row.options });
    });

  const modelList = listModels(db).items.map(({ row, deployments }) =>
    compact({
      name: row.name,
      type: row.type,
      status: row.status,
      deployments,
      pricing:
        row.inputPrice === null || row.outputPrice === null
          ? null
          : compact({ input: row.inputPrice, output: row.outputPrice, cachedInput: row.cachedInputPrice }),
      dropParams: row.dropParams,
    }),
  );

  const tenantRows = db.select().from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.id)).all();
  const tenantNames = new Map(tenantRows.map((row) => [row.id, row.name]));
  const tenantList = tenantRows.map((row) =>
    compact({
      name: row.name,
      status: row.status,
      allowedModels: row.allowedModels,
      allowedIps: row.allowedIps,
      rpm: row.rpm,
      tpm: row.tpm,
      monthlyBudgetUsd: row.monthlyBudgetUsd,
    }),
  );

  const consumerList = db
    .select()
    .from(consumers)
    .orderBy(asc(consumers.createdAt), asc(consumers.id))
    .all()
    .map((row) => ({ tenant: tenantNames.get(row.tenantId) ?? row.tenantId, name: row.name, status: row.status }));

  const serviceList = listServices(db).items.map(({ row, models }) => ({ name: row.name, approval: row.approval, models }));

  // Only approved subscriptions are state worth declaring; pending, rejected and revoked ones are a workflow's history.
  const subscriptionList = db
    .select({ tenantId: consumers.tenantId, consumer: consumers.name, service: services.name })
    .from(subscriptions)
    .innerJoin(consumers, eq(consumers.id, subscriptions.consumerId))
    .innerJoin(services, eq(services.id, subscriptions.serviceId))
    .where(eq(subscriptions.status, 'approved'))
    .orderBy(asc(subscriptions.requestedAt), asc(subscriptions.id))
    .all()
    .map((row) => ({ tenant: tenantNames.get(row.tenantId) ?? row.tenantId, consumer: row.consumer, service: row.service }));

  return { providers: providerList, models: modelList, tenants: tenantList, consumers: consumerList, services: serviceList, subscriptions: subscriptionList };
}

const header = `# gateway.config.yaml exported by the gateway.
# Provider credentials are never exported: each apiKey is a \${VARIABLE} placeholder. At boot
# (GATEWAY_CONFIG) the variable must be set; through POST /admin/config/preview and /apply an
# unset variable keeps the credential the gateway already stores for that provider.
# API keys are not part of the configuration: create them with POST /admin/consumers/{id}/keys.
`;

/** `GET /admin/config`: the current state as YAML that preview shows as unchanged. */
export function exportGatewayConfig(db: GatewayDb): string {
  return `${header}${stringify(exportConfigObject(db), { lineWidth: 0 })}`;
}
