import type { SubscriptionRow } from '../db/schema.js';
import { GatewayError } from '../errors.js';

export type SubscriptionStatus = SubscriptionRow['status'];
export type SubscriptionDecision = 'approve' | 'reject' | 'revoke';

/**
 * The subscription life cycle: a request is pending until a platform admin approves or rejects
 * it; an approved one can later be revoked. Rejected and revoked are final: the app asks anew.
 */
const transitions: Record<SubscriptionDecision, { from: SubscriptionStatus; to: SubscriptionStatus }> = {
  approve: { from: 'pending', to: 'approved' },
  reject: { from: 'pending', to: 'rejected' },
  revoke: { from: 'approved', to: 'revoked' },
};

/** Who decided a request that no person decided. Usernames cannot contain ':', so this never names an admin. */
export const AUTO_APPROVAL = 'system:auto-approval';
export const CONFIG_FILE = 'system:config-file';

/** What can still happen to a subscription in `status`, said as the routes to call. */
export function possibleDecisions(id: string, status: SubscriptionStatus): string {
  switch (status) {
    case 'pending':
      return `It can be approved (POST /admin/subscriptions/${id}/approve) or rejected (POST /admin/subscriptions/${id}/reject).`;
    case 'approved':
      return `It can only be revoked (POST /admin/subscriptions/${id}/revoke).`;
    default:
      return `A ${status} subscription is closed; the app can ask again with POST /admin/subscriptions.`;
  }
}

const pastTense: Record<SubscriptionDecision, string> = { approve: 'approved', reject: 'rejected', revoke: 'revoked' };

/** The status after `decision`, or 409 saying the current status and what is possible instead. */
export function nextStatus(id: string, current: SubscriptionStatus, decision: SubscriptionDecision): SubscriptionStatus {
  const transition = transitions[decision];
  if (transition.from === current) return transition.to;
  const message =
    current === transition.to
      ? `Subscription '${id}' is already ${current}.`
      : `Subscription '${id}' is ${current}: only ${transition.from} subscriptions can be ${pastTense[decision]}.`;
  throw new GatewayError('resource_conflict', message, { hint: possibleDecisions(id, current) });
}
