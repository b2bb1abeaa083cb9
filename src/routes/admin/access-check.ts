// Brings @fastify/swagger's typing of `tags`, `summary` and `description` in route schemas.
import type {} from '@fastify/swagger';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { hashApiKey } from '../../access/api-key-secret.js';
import { invalidField, notFound } from '../../admin/admin-errors.js';
import { canSeeTenant } from '../../admin/tenant-visibility.js';
import { GatewayError } from '../../errors.js';
import type { AccessEndpoint, Credential } from '../../policy/chain-types.js';
import { decisionBody, decisionBodySchema } from '../../policy/decision-body.js';
import { defaultEndpoint, endpointSchema } from '../../policy/default-endpoint.js';
import { normalizeClientIp } from '../../policy/ip-allow-list.js';
import type { SnapshotKey } from '../../policy/policy-snapshot.js';

interface AccessCheckBody {
  keyId?: string;
  apiKey?: string;
  model: string;
  endpoint?: AccessEndpoint;
  ip?: string;
}

const accessCheckBody = {
  type: 'object',
  properties: {
    keyId: { type: 'string', minLength: 1, maxLength: 128 },
    apiKey: { type: 'string', minLength: 1, maxLength: 512 },
    model: { type: 'string', minLength: 1, maxLength: 256 },
    endpoint: endpointSchema,
    ip: { type: 'string', minLength: 1, maxLength: 64 },
  },
  required: ['model'],
  additionalProperties: false,
} as const;

/** Said the same way whether the key does not exist or belongs to a tenant the admin cannot see. */
const noVisibleKey = () =>
  new GatewayError('resource_not_found', 'No API key you can see matches the given apiKey.', {
    param: 'apiKey',
    hint: 'Check the key, or dry-run by keyId (GET /admin/consumers/{consumerId}/keys lists them).',
  });

/**
 * `POST /admin/access/check`: the dry run of a call for any key the admin can see, by id or by
 * secret: every step of the decision chain with pass, deny or skip and why. Nothing is called.
 */
export default async function accessCheckRoutes(fastify: FastifyInstance) {
  fastify.post<{ Body: AccessCheckBody }>(
    '/admin/access/check',
    {
      preHandler: fastify.requireAdmin(),
      schema: {
        tags: ['admin'],
        summary: 'Dry-run the decision chain for a key, a model and (optionally) an endpoint and a client IP',
        body: accessCheckBody,
        response: { 200: decisionBodySchema },
      },
    },
    async (request) => {
      const { keyId, apiKey, model, ip } = request.body;
      if ((keyId === undefined) === (apiKey === undefined)) {
        throw invalidField(keyId === undefined ? 'keyId' : 'apiKey', 'Give exactly one of keyId or apiKey.', 'keyId names a key by id; apiKey is the secret itself (it is hashed, never stored or echoed).');
      }
      if (ip !== undefined && isIP(normalizeClientIp(ip)) === 0) {
        throw invalidField('ip', `'ip' must be an IPv4 or IPv6 address (got '${ip.slice(0, 64)}').`);
      }
      const policy = fastify.accessPolicy.snapshot();
      const visible = (key: SnapshotKey | undefined): boolean => {
        const consumer = key === undefined ? undefined : policy.consumers.get(key.consumerId);
        return consumer !== undefined && canSeeTenant(request.admin, consumer.tenantId);
      };
      let credential: Credential;
      if (keyId !== undefined) {
        // A secret pasted where the id belongs: never echoed, and the fix named.
        if (keyId.startsWith('gw-')) {
          throw invalidField('keyId', "'keyId' holds a key's secret (gw-…), not its id (key_…).", 'Pass the secret as apiKey instead (it is hashed, never stored or echoed), or the key_… id as keyId.');
        }
        if (!visible(policy.keysById.get(keyId))) throw notFound('API key', keyId, 'keyId');
        credential = { kind: 'key-id', keyId };
      } else {
        const hash = hashApiKey(apiKey ?? '');
        const key = policy.keysByHash.get(hash);
        // A platform admin learns that an unknown secret is invalid_api_key; a tenant admin sees
        // only its own keys, so anything else is "not found" to it.
        if (key === undefined ? request.admin.role !== 'platform_admin' : !visible(key)) throw noVisibleKey();
        credential = { kind: 'hash', hash };
      }
      const endpoint = request.body.endpoint ?? defaultEndpoint(fastify.catalog, model);
      return decisionBody(await fastify.limits.explain(request, fastify.accessPolicy.evaluate({ credential, endpoint, model, ip }), endpoint));
    },
  );
}
