import type { CallRecord } from './call-record.js';

/** How a call ended, as the call log and the metrics count it (DESIGN §3). */
export type CallOutcome = 'ok' | 'denied' | 'error' | 'cancelled';

/** The layers of the decision chain: a 4xx raised by one of them is a denial, not a failure. */
const policyLayers: ReadonlySet<string> = new Set([
  'auth',
  'consumer',
  'tenant',
  'ip',
  'request',
  'model',
  'scope',
  'permission',
  'subscription',
  'limit',
]);

export function isPolicyDenial(call: CallRecord, statusCode: number): boolean {
  return statusCode >= 400 && statusCode < 500 && call.errorLayer !== null && policyLayers.has(call.errorLayer);
}

export function callOutcome(call: CallRecord, statusCode: number): CallOutcome {
  if (call.cancelled || statusCode === 499) return 'cancelled';
  if (isPolicyDenial(call, statusCode)) return 'denied';
  // The admin API's refusals (a wrong password, an expired token, an id that does not exist) are
  // the caller's, like the chain's: counted as errors, they would set off an error-rate alert.
  if (statusCode >= 400 && statusCode < 500 && call.errorLayer === 'admin') return 'denied';
  // A stream that failed after its 200 carries the error code in the record only.
  if (call.errorCode !== null || statusCode >= 400) return 'error';
  return 'ok';
}
