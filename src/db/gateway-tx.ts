import type { GatewayDb } from './client.js';

/** The handle inside `db.transaction(tx => …)`: the same query API as the database itself. */
export type GatewayTx = Parameters<Parameters<GatewayDb['transaction']>[0]>[0];

/** Read helpers take either, so a write can reuse them inside its transaction. */
export type DbOrTx = GatewayDb | GatewayTx;
