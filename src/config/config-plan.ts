import type { DbOrTx } from '../db/gateway-tx.js';
import type { SecretBox } from '../secrets/secret-box.js';

/**
 * What applying a configuration does, object by object: the diff that
 * `POST /admin/config/preview` answers and `POST /admin/config/apply` carries out.
 */
export type PlanAction = 'create' | 'update' | 'unchanged';
export type PlanKind = 'provider' | 'model' | 'tenant' | 'consumer' | 'service' | 'subscription';

export interface FieldChange {
  field: string;
  /** JSON values; a credential is only ever described ('(stored)', '(none)', '(new)'), never shown. */
  from: unknown;
  to: unknown;
}

export interface PlanItem {
  kind: PlanKind;
  /** The object's name: `tenant/consumer` for consumers, `tenant/consumer -> service` for subscriptions. */
  name: string;
  action: PlanAction;
  /** For an update: what changes. */
  changes?: FieldChange[];
  /** What is likely wrong with the object as declared (a provider's base URL, say); it is applied all the same. */
  warnings?: string[];
}

export interface ConfigPlan {
  /** Whether applying would change anything. */
  changed: boolean;
  summary: Record<PlanAction, number>;
  items: PlanItem[];
}

/**
 * One reconcile pass. With `write: false` nothing is written (a preview): the passes compare by
 * name, so they need no id of an object that would only be created.
 */
export interface ReconcileContext {
  db: DbOrTx;
  write: boolean;
  now: Date;
  secrets: SecretBox;
  /** Recorded as who requested and decided the subscriptions the file declares. */
  actor: string;
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The fields of `desired` whose value differs from `current`. */
export function diffFields<T extends Record<string, unknown>>(current: T, desired: T): FieldChange[] {
  return Object.keys(desired)
    .filter((field) => canonicalJson(current[field]) !== canonicalJson(desired[field]))
    .map((field) => ({ field, from: current[field] ?? null, to: desired[field] ?? null }));
}

/** The plan item for one object: create when it does not exist, else update or unchanged by its field changes. */
export function planItem(kind: PlanKind, name: string, exists: boolean, changes: FieldChange[]): PlanItem {
  if (!exists) return { kind, name, action: 'create' };
  return changes.length === 0 ? { kind, name, action: 'unchanged' } : { kind, name, action: 'update', changes };
}

export function summarize(items: PlanItem[]): ConfigPlan {
  const summary: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0 };
  for (const item of items) summary[item.action] += 1;
  return { changed: summary.create + summary.update > 0, summary, items };
}
