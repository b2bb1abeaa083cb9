import { hash, randomBytes } from 'node:crypto';

/** Gateway API keys: `gw-` + 32 random bytes (base64url). Only the SHA-256 is stored. */
export const API_KEY_PREFIX = 'gw-';

export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: displayPrefix(secret), hash: hashApiKey(secret) };
}

/** The first characters, enough to tell keys apart in a list, far too few to guess the rest. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 6);
}

/** Runs on every call: the one-shot `hash` is about three times cheaper than a `createHash` object. */
export function hashApiKey(secret: string): string {
  return hash('sha256', secret, 'hex');
}
