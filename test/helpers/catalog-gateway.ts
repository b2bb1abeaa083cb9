import { startAdminGateway } from './admin.js';
import type { GatewayTestOptions, RunningGateway } from './gateway.js';

/**
 * The environment of functional tests that are not about load shedding. On a busy shared
 * machine a gateway's synchronous start can block its event loop for over a second, and the
 * overload guard (GATEWAY_MAX_EVENT_LOOP_DELAY_MS) then answers its first calls 503.
 */
export const steadyEnv: Record<string, string> = { GATEWAY_MAX_EVENT_LOOP_DELAY_MS: '0' };

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** `startAdminGateway` with the event-loop-delay guard off. */
export function startCatalogGateway(t: Teardown, options: GatewayTestOptions = {}): Promise<RunningGateway> {
  return startAdminGateway(t, { ...options, env: { ...steadyEnv, ...options.env } });
}
