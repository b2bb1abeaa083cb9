import { GatewayError } from '../../errors.js';
import { deny, pass, type PolicyStep, type StepContext, type StepResult } from '../chain-types.js';
import type { SnapshotKey } from '../policy-snapshot.js';

const challenge = 'Bearer realm="gateway"';
const invalidTokenChallenge = 'Bearer realm="gateway", error="invalid_token"';
const newKeyHint = (consumerId: string) => `A tenant admin can create a new key for consumer ${consumerId}: POST /admin/consumers/${consumerId}/keys.`;

function findKey(context: StepContext): SnapshotKey | undefined {
  const { credential } = context.query;
  const { policy } = context.view;
  if (credential.kind === 'hash') return policy.keysByHash.get(credential.hash);
  if (credential.kind === 'key-id') return policy.keysById.get(credential.keyId);
  return undefined;
}

/** Who is calling: the key (never echoed) must exist, be unrevoked and unexpired. */
export const authenticate: PolicyStep = {
  layer: 'auth',
  phase: 'before-body',
  run(context): StepResult {
    const { credential } = context.query;
    if (credential.kind === 'none') {
      const what = credential.misplaced === undefined ? 'No API key was sent.' : `No API key was sent where the gateway reads one: ${credential.misplaced}.`;
      return deny(
        new GatewayError('missing_api_key', `${what} Send your gateway key as Authorization: Bearer <key> or as x-api-key: <key>.`, {
          hint: 'A tenant admin creates keys for an app: POST /admin/consumers/{consumerId}/keys.',
          headers: { 'www-authenticate': challenge },
        }),
        credential.misplaced ?? 'no API key in Authorization: Bearer or x-api-key',
      );
    }
    const key = findKey(context);
    if (key === undefined) {
      return deny(
        new GatewayError('invalid_api_key', 'The API key is not valid: no gateway key matches it.', {
          hint: 'Check that the whole key was copied (gateway keys start with gw-); a tenant admin can create a new one: POST /admin/consumers/{consumerId}/keys.',
          headers: { 'www-authenticate': invalidTokenChallenge },
        }),
        'no key matches',
      );
    }
    if (key.status === 'revoked') {
      const when = key.revokedAt === null ? '' : ` on ${new Date(key.revokedAt).toISOString()}`;
      return deny(
        new GatewayError('api_key_revoked', `API key ${key.id} was revoked${when} and can no longer be used.`, {
          hint: newKeyHint(key.consumerId),
          headers: { 'www-authenticate': invalidTokenChallenge },
        }),
      );
    }
    if (key.expiresAt !== null && key.expiresAt <= context.now) {
      return deny(
        new GatewayError('api_key_expired', `API key ${key.id} expired at ${new Date(key.expiresAt).toISOString()}.`, {
          hint: newKeyHint(key.consumerId),
          headers: { 'www-authenticate': invalidTokenChallenge },
        }),
      );
    }
    const consumer = context.view.policy.consumers.get(key.consumerId);
    const tenant = consumer === undefined ? undefined : context.view.policy.tenants.get(consumer.tenantId);
    if (consumer === undefined || tenant === undefined) {
      // Foreign keys make this impossible; should it happen, the key identifies nobody.
      return deny(new GatewayError('invalid_api_key', 'The API key is not valid: it belongs to no app.', { headers: { 'www-authenticate': invalidTokenChallenge } }));
    }
    context.principal = { key, consumer, tenant };
    const name = key.name === null ? '' : ` '${key.name}'`;
    return pass(`key ${key.id}${name} of consumer ${consumer.id}`);
  },
};
