import { GatewayError } from '../errors.js';

/**
 * The admin API's recurring errors, worded once. `notFound` is also what a tenant admin gets
 * for another tenant's resource, word for word, so the answer never confirms that it exists.
 */
export function notFound(kind: string, id: string, param: string | null = null): GatewayError {
  return new GatewayError('resource_not_found', `${kind} '${id}' does not exist.`, {
    param,
    hint: `List the ${kind.toLowerCase()}s you can see with GET on its collection.`,
  });
}

export function conflict(message: string, param: string | null, hint?: string): GatewayError {
  return new GatewayError('resource_conflict', message, { param, ...(hint === undefined ? {} : { hint }) });
}

export function inUse(message: string, hint: string): GatewayError {
  return new GatewayError('resource_in_use', message, { hint });
}

export function invalidField(param: string, message: string, hint?: string): GatewayError {
  return new GatewayError('invalid_request', message, { param, ...(hint === undefined ? {} : { hint }) });
}

/** better-sqlite3 reports constraint violations with these codes. */
export function isConstraintViolation(error: unknown, kind: 'UNIQUE' | 'PRIMARYKEY' | 'FOREIGNKEY'): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === `SQLITE_CONSTRAINT_${kind}`;
}
