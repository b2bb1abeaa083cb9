import { asc, eq, inArray } from 'drizzle-orm';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import type { DbOrTx, GatewayTx as Tx } from '../db/gateway-tx.js';
import { deployments, models, providers, serviceModels, services, type ModelRow } from '../db/schema.js';
import { conflict, inUse, invalidField, isConstraintViolation, notFound } from './admin-errors.js';
import { afterCursor, rowsToRead, toPage, type Page, type PageRequest } from './list-page.js';

/** A deployment as the API and the config file write it: the provider by its name. */
export interface DeploymentInput {
  provider: string;
  model: string;
  weight?: number;
  priority?: number;
}

export interface PricingInput {
  /** USD per million tokens. */
  input: number;
  output: number;
  cachedInput?: number | null;
}

export interface ModelFields {
  type: ModelRow['type'];
  status: ModelRow['status'];
  deployments: DeploymentInput[];
  pricing: PricingInput | null;
  dropParams: string[];
}

export type ModelInput = { name: string } & Pick<ModelFields, 'type' | 'deployments'> & Partial<ModelFields>;
export type ModelPatch = Partial<ModelFields>;

export interface NamedDeployment {
  provider: string;
  model: string;
  weight: number;
  priority: number;
}

export interface ModelWithDeployments {
  row: ModelRow;
  deployments: NamedDeployment[];
}

/**
 * The API's view. Tenant admins see what they may request (name, type, status, prices) but
 * not `internal` routing (which providers and upstream models serve it).
 */
export function modelView({ row, deployments: routes }: ModelWithDeployments, internal = true) {
  return {
    name: row.name,
    type: row.type,
    status: row.status,
    ...(internal ? { deployments: routes } : {}),
    pricing: row.inputPrice === null || row.outputPrice === null ? null : { input: row.inputPrice, output: row.outputPrice, cachedInput: row.cachedInputPrice },
    dropParams: row.dropParams,
    ...(internal ? { source: row.source } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Each model's deployments, its provider named, in the order they were written. */
export function deploymentsByModel(db: DbOrTx, names?: string[]): Map<string, NamedDeployment[]> {
  const query = db
    .select({ modelName: deployments.modelName, provider: providers.name, model: deployments.upstreamModel, weight: deployments.weight, priority: deployments.priority })
    .from(deployments)
    .innerJoin(providers, eq(providers.id, deployments.providerId));
  const rows = (names === undefined ? query : query.where(inArray(deployments.modelName, names))).orderBy(asc(deployments.id)).all();
  const byModel = new Map<string, NamedDeployment[]>();
  for (const { modelName, ...deployment } of rows) byModel.set(modelName, [...(byModel.get(modelName) ?? []), deployment]);
  return byModel;
}

export function listModels(db: GatewayDb, page?: PageRequest): Page<ModelWithDeployments> {
  const rows = db
    .select()
    .from(models)
    .where(afterCursor(models.createdAt, models.name, page))
    .orderBy(asc(models.createdAt), asc(models.name))
    .limit(rowsToRead(page))
    .all();
  const { items, nextCursor } = toPage(rows, page, (row) => ({ at: row.createdAt, id: row.name }));
  const routes = deploymentsByModel(db, page === undefined ? undefined : items.map((row) => row.name));
  return { items: items.map((row) => ({ row, deployments: routes.get(row.name) ?? [] })), nextCursor };
}

export function findModel(db: DbOrTx, name: string): ModelWithDeployments | undefined {
  const row = db.select().from(models).where(eq(models.name, name)).get();
  return row === undefined ? undefined : { row, deployments: deploymentsByModel(db, [name]).get(name) ?? [] };
}

function pricingColumns(pricing: PricingInput | null) {
  return { inputPrice: pricing?.input ?? null, outputPrice: pricing?.output ?? null, cachedInputPrice: pricing?.cachedInput ?? null };
}

/** Replaces a model's deployments; a provider is named, and an unknown name is a 400 naming the entry. */
export function writeDeployments(tx: Tx, modelName: string, list: DeploymentInput[], param = 'deployments'): void {
  tx.delete(deployments).where(eq(deployments.modelName, modelName)).run();
  const seen = new Set<string>();
  list.forEach((deployment, index) => {
    const provider = tx.select({ id: providers.id }).from(providers).where(eq(providers.name, deployment.provider)).get();
    if (provider === undefined) {
      throw invalidField(`${param}[${index}].provider`, `There is no provider named '${deployment.provider}' (${param}[${index}].provider).`, 'Create it with POST /admin/providers, or pick one from GET /admin/providers.');
    }
    const key = `${deployment.provider}\u0000${deployment.model}`;
    if (seen.has(key)) {
      throw invalidField(`${param}[${index}]`, `${param}[${index}] repeats the deployment '${deployment.model}' on provider '${deployment.provider}'.`, 'List each provider and upstream model once; use weight to favour one.');
    }
    seen.add(key);
    tx.insert(deployments)
      .values({ modelName, providerId: provider.id, upstreamModel: deployment.model, weight: deployment.weight ?? 1, priority: deployment.priority ?? 0 })
      .run();
  });
}

function duplicateName(name: string) {
  return conflict(`A model named '${name}' already exists.`, 'name', 'Choose another name, or change the existing model with PATCH /admin/models/{name}.');
}

export function createModel(db: GatewayDb, input: ModelInput, now = new Date()): ModelWithDeployments {
  try {
    return writeTransaction(db, (tx) => {
      if (tx.select({ name: models.name }).from(models).where(eq(models.name, input.name)).get()) throw duplicateName(input.name);
      tx.insert(models)
        .values({
          name: input.name,
          type: input.type,
          status: input.status ?? 'enabled',
          ...pricingColumns(input.pricing ?? null),
          dropParams: input.dropParams ?? [],
          source: 'api',
          createdAt: now,
          updatedAt: now,
        })
        .run();
      writeDeployments(tx, input.name, input.deployments);
      return findModel(tx, input.name) as ModelWithDeployments;
    });
  } catch (error) {
    if (isConstraintViolation(error, 'PRIMARYKEY') || isConstraintViolation(error, 'UNIQUE')) throw duplicateName(input.name);
    throw error;
  }
}

/** `deployments`, when sent, replaces the whole list; `pricing: null` removes the prices. */
export function updateModel(db: GatewayDb, name: string, patch: ModelPatch, now = new Date()): ModelWithDeployments {
  return writeTransaction(db, (tx) => {
    if (tx.select({ name: models.name }).from(models).where(eq(models.name, name)).get() === undefined) throw notFound('Model', name);
    const { deployments: routes, pricing, ...rest } = patch;
    tx.update(models)
      .set({ ...rest, ...(pricing === undefined ? {} : pricingColumns(pricing)), updatedAt: now })
      .where(eq(models.name, name))
      .run();
    if (routes !== undefined) writeDeployments(tx, name, routes);
    return findModel(tx, name) as ModelWithDeployments;
  });
}

/** Refused while a service offers the model: its subscribers would lose it without notice. */
export function deleteModel(db: GatewayDb, name: string): void {
  writeTransaction(db, (tx) => {
    if (tx.select({ name: models.name }).from(models).where(eq(models.name, name)).get() === undefined) throw notFound('Model', name);
    const offering = tx
      .select({ name: services.name })
      .from(serviceModels)
      .innerJoin(services, eq(services.id, serviceModels.serviceId))
      .where(eq(serviceModels.modelName, name))
      .orderBy(asc(services.name))
      .all();
    if (offering.length > 0) {
      throw inUse(
        `Model '${name}' is still offered by ${offering.length} service(s): ${offering.map((service) => service.name).join(', ')}.`,
        'Remove it from those services first (PATCH /admin/services/{id} with the new models list), or disable the model instead (PATCH {status: "disabled"}).',
      );
    }
    // Deployments go with it (ON DELETE CASCADE).
    tx.delete(models).where(eq(models.name, name)).run();
  });
}
