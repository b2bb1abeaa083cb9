import { isIPv6 } from 'node:net';
import type { CallLogInsert } from './call-log-row.js';
import type { CallLogWrite } from './call-log-writer.js';

const MINUTE_MS = 60_000;

interface Bucket {
  minute: number;
  /** The sampled row, to update when the minute closes. */
  requestId: string;
  createdAt: number;
  count: number;
}

/** A 401 of the auth layer: an unknown, missing, revoked or expired key. */
export function isUnauthenticatedFailure(row: CallLogInsert): boolean {
  return row.statusCode === 401 && row.layer === 'auth';
}

/**
 * The sampling key of a client: its address, or for IPv6 its /64 network, since one host
 * commonly owns a whole /64 and could otherwise rotate addresses to get a row per call.
 */
export function clientNetwork(ip: string | null): string {
  if (ip === null) return 'unknown';
  if (!isIPv6(ip) || ip.toLowerCase().startsWith('::ffff:')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...new Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Keeps a scanner with random keys from filling the call log: per client network and minute
 * the first unauthenticated failure is written as a row; the later ones are only counted, and
 * when the minute closes the row's `sampledCount` is set to the minute's total. Memory is
 * bounded too: past `maxBuckets` open buckets, new clients of that minute share one overflow
 * bucket (its row shows the first of them).
 */
export class AuthFailureSampler {
  private readonly buckets = new Map<string, Bucket>();
  private suppressedTotal = 0;

  constructor(
    private readonly write: (write: CallLogWrite) => void,
    private readonly maxBuckets = 10_000,
  ) {}

  /** Failures counted into a sampled row instead of getting their own. */
  get suppressed(): number {
    return this.suppressedTotal;
  }

  get openBuckets(): number {
    return this.buckets.size;
  }

  /** true: write this row (the first of its client and minute); false: it was counted. */
  admit(row: CallLogInsert): boolean {
    const minute = Math.floor(row.createdAt / MINUTE_MS);
    let key = `${minute} ${clientNetwork(row.clientIp)}`;
    if (!this.buckets.has(key) && this.buckets.size >= this.maxBuckets) key = `${minute} overflow`;
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) {
      bucket.count += 1;
      this.suppressedTotal += 1;
      return false;
    }
    this.buckets.set(key, { minute, requestId: row.requestId, createdAt: row.createdAt, count: 1 });
    return true;
  }

  /** Writes the totals of the minutes that have closed by `nowMs` (every minute when `Infinity`). */
  closeMinutes(nowMs: number): void {
    const current = Math.floor(nowMs / MINUTE_MS);
    for (const [key, bucket] of this.buckets) {
      if (bucket.minute >= current) continue;
      this.buckets.delete(key);
      if (bucket.count > 1) this.write({ kind: 'sampled-count', requestId: bucket.requestId, createdAt: bucket.createdAt, count: bucket.count });
    }
  }
}
