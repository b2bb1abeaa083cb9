import { parseCidr } from '../access/cidr-notation.js';
import { invalidField } from './admin-errors.js';

/**
 * Checks an `allowedIps` list strictly and returns it in canonical form (the policy chain then
 * compares like with like). `null` stays `null`: no restriction.
 */
export function normalizeAllowedIps(list: string[] | null | undefined, param = 'allowedIps'): string[] | null | undefined {
  if (list === null || list === undefined) return list;
  const canonical = list.map((entry, index) => {
    const parsed = parseCidr(entry);
    if (!parsed.ok) {
      throw invalidField(`${param}[${index}]`, `'${entry}' in ${param} is not a valid CIDR block: ${parsed.reason}.`, 'Write blocks such as 203.0.113.0/24 or 2001:db8::/32; a bare address stands for itself.');
    }
    return parsed.canonical;
  });
  const duplicate = canonical.find((entry, index) => canonical.indexOf(entry) !== index);
  if (duplicate !== undefined) throw invalidField(param, `${param} lists ${duplicate} twice.`);
  return canonical;
}

/** An `expiresAt` (already a valid ISO 8601 date-time by schema) must lie in the future. */
export function parseFutureDate(value: string | null | undefined, param: string, now: Date): Date | null | undefined {
  if (value === null || value === undefined) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidField(param, `${param} '${value}' is not a date.`, 'Use ISO 8601 with a time zone, e.g. 2030-01-31T00:00:00Z.');
  if (date.getTime() <= now.getTime()) {
    throw invalidField(param, `${param} '${value}' is in the past; a key must expire in the future.`, 'Send a later date, or null for a key that does not expire.');
  }
  return date;
}
