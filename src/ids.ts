import { randomUUID } from 'node:crypto';

/** Resource ids: a type prefix (`ten`, `con`, `key`, `prv`, `svc`, `sub`) + 24 random hex characters. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}
