import type { IncomingHttpHeaders } from 'node:http';
import { hashApiKey } from '../access/api-key-secret.js';
import type { Credential } from './chain-types.js';

const bearer = /^Bearer\s+(\S+)\s*$/i;

/**
 * The key a request presents, as its hash: `Authorization: Bearer <key>` (what OpenAI clients
 * send) or `x-api-key: <key>` (what Anthropic-style clients send). The secret goes no further.
 */
export function credentialFrom(headers: IncomingHttpHeaders): Credential {
  const authorization = headers.authorization;
  const fromBearer = typeof authorization === 'string' ? bearer.exec(authorization)?.[1] : undefined;
  const header = headers['x-api-key'];
  const fromHeader = typeof header === 'string' ? header.trim() : undefined;
  const secret = fromBearer ?? (fromHeader === '' ? undefined : fromHeader);
  return secret === undefined ? { kind: 'none' } : { kind: 'hash', hash: hashApiKey(secret) };
}
