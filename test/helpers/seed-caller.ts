import type { GatewayDb } from '../../src/db/client.js';
import { seedAllowedCaller, type AllowedCaller } from './seed-access.js';

export type SeededCaller = AllowedCaller;

/**
 * A caller allowed every step of the decision chain for `models` (which must already be in the
 * database), written straight to the database; a running gateway must be told with
 * `stateChanged()`. Kept for the tests written against it; `seedAllowedCaller` does the work.
 */
export function seedCaller(db: GatewayDb, models: string[] = ['mock-chat', 'mock-embed']): SeededCaller {
  return seedAllowedCaller(db, models);
}
