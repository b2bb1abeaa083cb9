import type { CatalogModel, ModelCatalog } from '../catalog/model-catalog.js';
import type { ErrorCode, ErrorLayer, GatewayError } from '../errors.js';
import type { DecisionStep } from '../routing/call-record.js';
import type { PolicySnapshot, SnapshotConsumer, SnapshotKey, SnapshotTenant } from './policy-snapshot.js';

/** The endpoint a call (or a dry run) is for; each needs the scope of the same name. */
export type AccessEndpoint = 'chat' | 'embeddings' | 'models';

/** How the caller names its key: a live call and `can-i` by the secret's hash, an admin dry run also by id. */
export type Credential =
  /** `misplaced`: where the request put a key the gateway does not read there (a 401 names it). */
  | { kind: 'none'; misplaced?: string }
  | { kind: 'hash'; hash: string }
  | { kind: 'key-id'; keyId: string };

export interface AccessQuery {
  credential: Credential;
  endpoint: AccessEndpoint;
  /** The requested model; undefined when none is asked for (listing models). */
  model?: string | undefined;
  /** The client address; undefined in a dry run that gave none (the IP step is then skipped). */
  ip?: string | undefined;
  /** Live calls: the request passed its route schema. Dry runs have no request to check. */
  requestChecked?: boolean;
}

/** The state a decision is taken on: the policy snapshot and the model catalog of the moment. */
export interface AccessView {
  policy: PolicySnapshot;
  catalog: ModelCatalog;
}

/** Who is calling, known once the key is authenticated. */
export interface Principal {
  key: SnapshotKey;
  consumer: SnapshotConsumer;
  tenant: SnapshotTenant;
}

export interface StepContext {
  view: AccessView;
  query: AccessQuery;
  /** Epoch ms the decision is taken at (key expiry). */
  now: number;
  principal?: Principal;
  model?: CatalogModel;
}

export type StepResult = { outcome: 'pass' | 'skip'; detail: string } | { outcome: 'deny'; detail: string; error: GatewayError };

/**
 * The steps before the body (identity: key, consumer, tenant, IP) run as soon as the request
 * arrives; the others once the body is parsed and validated.
 */
export type ChainPhase = 'before-body' | 'after-body';

/** One policy step: one job, one layer of the error catalogue. */
export interface PolicyStep {
  layer: ErrorLayer;
  phase: ChainPhase;
  run(context: StepContext): StepResult;
}

export interface AccessDecision {
  allowed: boolean;
  /** 200 when allowed, else the status of the denial. */
  status: number;
  code?: ErrorCode;
  layer?: ErrorLayer;
  /** The error a live call answers with (never set when allowed). */
  error?: GatewayError;
  steps: DecisionStep[];
  principal?: Principal;
  model?: CatalogModel;
}

export const pass = (detail: string): StepResult => ({ outcome: 'pass', detail });
export const skip = (detail: string): StepResult => ({ outcome: 'skip', detail });
export const deny = (error: GatewayError, detail: string = error.message): StepResult => ({ outcome: 'deny', detail, error });

/** Steps after authentication rely on it; reaching one without a principal is a bug in the chain order. */
export function principalOf(context: StepContext): Principal {
  if (context.principal === undefined) throw new Error('policy step ran before authentication');
  return context.principal;
}
