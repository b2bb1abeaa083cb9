import { GatewayError } from '../../errors.js';
import { deny, pass, principalOf, type PolicyStep } from '../chain-types.js';

/** The key's app must be active: disabling an app stops all its keys at once. */
export const consumerStatus: PolicyStep = {
  layer: 'consumer',
  phase: 'before-body',
  run(context) {
    const { consumer } = principalOf(context);
    if (consumer.status === 'disabled') {
      return deny(
        new GatewayError('consumer_disabled', `Consumer (app) '${consumer.name}' (${consumer.id}) is disabled, so its keys cannot call the gateway.`, {
          hint: `A tenant admin can enable it again: PATCH /admin/consumers/${consumer.id} {"status": "active"}.`,
        }),
      );
    }
    return pass(`consumer '${consumer.name}' (${consumer.id}) is active`);
  },
};
