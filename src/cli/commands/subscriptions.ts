import { AdminClient } from '../admin-client.js';
import type { OptionValues } from '../command-table.js';

interface Subscription {
  id: string;
  consumerId: string;
  serviceId: string;
  status: string;
  reason?: string | null;
  requestedAt?: string;
}

/** `subscriptions list [--pending]`: GET /admin/subscriptions[?status=pending]. */
export async function listSubscriptions(values: OptionValues): Promise<void> {
  const client = AdminClient.fromOptions(values);
  const pending = values.pending === true;
  const all = await client.listAll<Subscription>(`/admin/subscriptions${pending ? '?status=pending' : ''}`);
  // The filter is applied here as well, so an older gateway that ignores it cannot widen the list.
  const shown = pending ? all.filter((item) => item.status === 'pending') : all;
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  if (shown.length === 0) {
    process.stdout.write(pending ? 'No subscription is waiting for approval.\n' : 'There are no subscriptions.\n');
    return;
  }
  for (const item of shown) {
    const reason = item.reason ? `  "${item.reason}"` : '';
    process.stdout.write(`${item.id}  ${item.status.padEnd(8)}  app ${item.consumerId} -> service ${item.serviceId}${item.requestedAt ? `  requested ${item.requestedAt}` : ''}${reason}\n`);
  }
  if (pending) process.stdout.write(`Approve one with: gateway subscriptions approve <id>\n`);
}

/** `subscriptions approve <id>`: POST /admin/subscriptions/{id}/approve. */
export async function approveSubscription(values: OptionValues, [id]: string[]): Promise<void> {
  const client = AdminClient.fromOptions(values);
  const approved = await client.post<Subscription>(`/admin/subscriptions/${encodeURIComponent(id ?? '')}/approve`);
  process.stdout.write(`Approved ${approved?.id ?? id}: app ${approved?.consumerId ?? '?'} may now call the models of service ${approved?.serviceId ?? '?'}.\n`);
}
