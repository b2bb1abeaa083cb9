import { CONFIG_FILE } from '../admin/subscription-transitions.js';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import { newId } from '../ids.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { summarize, type ConfigPlan, type ReconcileContext } from './config-plan.js';
import type { GatewayConfig } from './gateway-config.js';
import { reconcileConsumers, reconcileSubscriptions, reconcileTenants } from './reconcile-access.js';
import { reconcileModels, reconcileProviders, reconcileServices } from './reconcile-catalog.js';

// Moved to src/ids.ts; re-exported for existing imports.
export { newId };

export interface ApplyOptions {
  now?: Date;
  /** Who applies: recorded on the subscriptions the file approves. The boot-time apply is the file itself. */
  actor?: string;
}

/** Every pass, in dependency order: what a later pass refers to by name exists by then. */
function reconcileAll(context: ReconcileContext, config: GatewayConfig): ConfigPlan {
  return summarize([
    ...reconcileProviders(context, config.providers),
    ...reconcileModels(context, config.models),
    ...reconcileTenants(context, config.tenants),
    ...reconcileConsumers(context, config.consumers),
    ...reconcileServices(context, config.services),
    ...reconcileSubscriptions(context, config.subscriptions),
  ]);
}

/** The diff applying `config` would make, object by object; writes nothing. */
export function planGatewayConfig(db: GatewayDb, config: GatewayConfig, secrets: SecretBox, options: ApplyOptions = {}): ConfigPlan {
  return reconcileAll({ db, write: false, now: options.now ?? new Date(), secrets, actor: options.actor ?? CONFIG_FILE }, config);
}

/**
 * Applies the file idempotently in one transaction, matching objects by name: what it declares
 * is created or updated to match it, what is already so is not touched, and objects it does not
 * mention (created through the admin API, say) are left alone. Answers what it did.
 */
export function applyGatewayConfig(db: GatewayDb, config: GatewayConfig, secrets: SecretBox, options: ApplyOptions = {}): ConfigPlan {
  return writeTransaction(db, (tx) => reconcileAll({ db: tx, write: true, now: options.now ?? new Date(), secrets, actor: options.actor ?? CONFIG_FILE }, config));
}
