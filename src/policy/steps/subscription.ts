import { GatewayError } from '../../errors.js';
import { deny, pass, principalOf, skip, type PolicyStep } from '../chain-types.js';
import type { SnapshotConsumer, SnapshotService, SnapshotSubscription } from '../policy-snapshot.js';

/**
 * When no subscription is approved, the one that explains the most: a pending request is on its
 * way (wait or get it approved), then a rejection, then a revocation.
 */
const explainOrder = ['pending', 'rejected', 'revoked'] as const;

const serviceLabel = (service: SnapshotService) => `'${service.name}' (${service.id})`;

function requestHint(consumer: SnapshotConsumer, service: SnapshotService, what = 'one'): string {
  const approval = service.approval === 'auto' ? 'the service approves it at once' : 'a platform admin then approves it';
  return `A tenant admin can request ${what}: POST /admin/subscriptions {"consumerId": "${consumer.id}", "serviceId": "${service.id}"}; ${approval}.`;
}

function refuse(code: 'subscription_pending' | 'subscription_rejected' | 'subscription_revoked', subscription: SnapshotSubscription, service: SnapshotService, consumer: SnapshotConsumer) {
  const about = `Subscription ${subscription.id} of consumer '${consumer.name}' to service ${serviceLabel(service)}`;
  const reason = subscription.reason === null || subscription.reason === '' ? '' : ` (reason: ${subscription.reason})`;
  if (code === 'subscription_pending') {
    return new GatewayError(code, `${about} is pending approval.`, {
      hint: `A platform admin must approve it: POST /admin/subscriptions/${subscription.id}/approve.`,
    });
  }
  const verb = code === 'subscription_rejected' ? 'was rejected' : 'was revoked';
  // Rejected and revoked are final: the app asks anew.
  return new GatewayError(code, `${about} ${verb}${reason}.`, { hint: requestHint(consumer, service, 'a new one') });
}

/** The consumer needs an approved subscription to a service that includes the model. */
export const subscription: PolicyStep = {
  layer: 'subscription',
  phase: 'after-body',
  run(context) {
    const model = context.model;
    if (model === undefined) return skip('no model asked for');
    const { consumer } = principalOf(context);
    const { policy } = context.view;
    const offering = policy.servicesByModel.get(model.name) ?? [];
    if (offering.length === 0) {
      return deny(
        new GatewayError('subscription_required', `Model '${model.name}' is in no service, so no subscription can grant access to it.`, {
          hint: 'A platform admin must add it to a service (POST /admin/services or PATCH /admin/services/{serviceId}); then a tenant admin requests a subscription to that service.',
        }),
      );
    }
    const offeringIds = new Set(offering.map((service) => service.id));
    // Newest first: for each service, the latest request tells its current state.
    const latestByService = new Map<string, SnapshotSubscription>();
    for (const sub of policy.subscriptionsByConsumer.get(consumer.id) ?? []) {
      if (!offeringIds.has(sub.serviceId)) continue;
      if (sub.status === 'approved') {
        const service = policy.services.get(sub.serviceId);
        return pass(`approved subscription ${sub.id} to service '${service?.name ?? sub.serviceId}'`);
      }
      if (!latestByService.has(sub.serviceId)) latestByService.set(sub.serviceId, sub);
    }
    for (const status of explainOrder) {
      const found = [...latestByService.values()].find((sub) => sub.status === status);
      const service = found === undefined ? undefined : policy.services.get(found.serviceId);
      if (found !== undefined && service !== undefined) return deny(refuse(`subscription_${status}` as const, found, service, consumer));
    }
    const first = offering[0] as SnapshotService;
    const names = offering.slice(0, 3).map(serviceLabel).join(', ') + (offering.length > 3 ? ` and ${offering.length - 3} more` : '');
    return deny(
      new GatewayError('subscription_required', `Consumer '${consumer.name}' (${consumer.id}) has no subscription to a service that includes model '${model.name}' (offered by ${names}).`, {
        hint: requestHint(consumer, first),
      }),
    );
  },
};
