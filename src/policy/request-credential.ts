import type { IncomingHttpHeaders } from 'node:http';
import { hashApiKey } from '../access/api-key-secret.js';
import { hasSecretQueryParameter } from '../secrets/redact-secrets.js';
import type { Credential } from './chain-types.js';

const bearer = /^Bearer\s+(\S+)\s*$/i;

/**
 * The key a request presents, as its hash: `Authorization: Bearer <key>` (what OpenAI clients
 * send) or `x-api-key: <key>` (what Anthropic-style clients send). The secret goes no further.
 */
export function credentialFrom(headers: IncomingHttpHeaders, url = ''): Credential {
  const authorization = headers.authorization;
  const fromBearer = typeof authorization === 'string' ? bearer.exec(authorization)?.[1] : undefined;
  const header = headers['x-api-key'];
  const fromHeader = typeof header === 'string' ? header.trim() : undefined;
  const secret = fromBearer ?? (fromHeader === '' ? undefined : fromHeader);
  if (secret !== undefined) return { kind: 'hash', hash: hashApiKey(secret) };
  const misplaced = misplacedKey(authorization, headers, url);
  return misplaced === undefined ? { kind: 'none' } : { kind: 'none', misplaced };
}

/** Other places clients put keys (other schemes, Azure's and Google's headers, the query string), named for the 401. */
function misplacedKey(authorization: string | undefined, headers: IncomingHttpHeaders, url: string): string | undefined {
  const value = authorization?.trim() ?? '';
  if (value !== '') {
    if (/^bearer$/i.test(value)) return "the Authorization header says 'Bearer' with no key after it";
    const scheme = /^(\S+)\s+\S/.exec(value)?.[1];
    if (scheme === undefined) return "the Authorization header holds a value without the 'Bearer ' scheme before it";
    if (/^bearer$/i.test(scheme)) return 'the Authorization header holds more than one word after Bearer';
    // A scheme's name is echoed; anything else might be part of a key.
    return /^[A-Za-z]{2,12}$/.test(scheme) ? `the Authorization header uses the '${scheme}' scheme` : 'the Authorization header uses a scheme other than Bearer';
  }
  for (const name of ['api-key', 'x-goog-api-key']) {
    if (headers[name] !== undefined) return `a key was sent in the '${name}' header, which the gateway does not read`;
  }
  if (hasSecretQueryParameter(url)) return 'a key was sent in the query string, which the gateway does not read (and which lands in access logs)';
  return undefined;
}
