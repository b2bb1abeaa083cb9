import type { FastifyInstance } from 'fastify';
import { normalizeAllowedIps, parseFutureDate } from '../../admin/access-limits.js';
import { createKey, keyView, listKeys, revokeKey, updateKey, type KeyFields } from '../../admin/keys-store.js';
import { visibleConsumer, visibleKey } from '../../admin/tenant-visibility.js';
import { pageBody, type PageRequest } from '../../admin/list-page.js';
import { createdKeyView, idParams, keyBody, keyPatch, keyView as keySchema, listOf, pageQuery } from './access-schemas.js';

/** The wire form: `expiresAt` arrives as ISO 8601 text. */
type KeyBody = Partial<Omit<KeyFields, 'expiresAt'>> & { expiresAt?: string | null };

interface ById {
  Params: { id: string };
}

/** Turns a validated body into store fields: the date parsed and checked, the CIDR list canonical. */
function keyFields(body: KeyBody, now: Date): Partial<KeyFields> {
  const { expiresAt, allowedIps, ...rest } = body;
  const fields: Partial<KeyFields> = { ...rest };
  const expires = parseFutureDate(expiresAt, 'expiresAt', now);
  if (expires !== undefined) fields.expiresAt = expires;
  const ips = normalizeAllowedIps(allowedIps);
  if (ips !== undefined) fields.allowedIps = ips;
  return fields;
}

/** `/admin/consumers/{id}/keys` and `/admin/keys/{id}`: a consumer's API keys. */
export default async function keysRoutes(fastify: FastifyInstance) {
  const anyAdmin = fastify.requireAdmin();
  const tags = ['admin: access'];
  const params = idParams('id');

  fastify.post<ById & { Body: KeyBody }>(
    '/admin/consumers/:id/keys',
    {
      preHandler: anyAdmin,
      schema: { tags, summary: 'Create an API key; the response shows its secret once', params, body: keyBody, response: { 201: createdKeyView } },
    },
    async (request, reply) => {
      const consumer = visibleConsumer(fastify.db, request.admin, request.params.id);
      const now = new Date();
      const { row, secret } = createKey(fastify.db, consumer.id, keyFields(request.body, now), now);
      fastify.stateChanged();
      return reply.code(201).send({ ...keyView({ key: row, tenantId: consumer.tenantId }), key: secret });
    },
  );

  fastify.get<ById & { Querystring: PageRequest }>(
    '/admin/consumers/:id/keys',
    { preHandler: anyAdmin, schema: { tags, summary: "List a consumer's API keys (never their secrets)", params, querystring: pageQuery, response: { 200: listOf(keySchema) } } },
    async (request) => {
      const consumer = visibleConsumer(fastify.db, request.admin, request.params.id);
      return pageBody(listKeys(fastify.db, consumer.id, request.query), (key) => keyView({ key, tenantId: consumer.tenantId }));
    },
  );

  fastify.get<ById>('/admin/keys/:id', { preHandler: anyAdmin, schema: { tags, summary: 'Get an API key', params, response: { 200: keySchema } } }, async (request) =>
    keyView(visibleKey(fastify.db, request.admin, request.params.id)),
  );

  fastify.patch<ById & { Body: KeyBody }>(
    '/admin/keys/:id',
    { preHandler: anyAdmin, schema: { tags, summary: "Change an API key's limits, scopes or expiry", params, body: keyPatch, response: { 200: keySchema } } },
    async (request) => {
      const { tenantId } = visibleKey(fastify.db, request.admin, request.params.id);
      const now = new Date();
      const key = updateKey(fastify.db, request.params.id, keyFields(request.body, now), now);
      fastify.stateChanged();
      return keyView({ key, tenantId });
    },
  );

  fastify.post<ById>(
    '/admin/keys/:id/revoke',
    { preHandler: anyAdmin, schema: { tags, summary: 'Revoke an API key (idempotent)', params, response: { 200: keySchema } } },
    async (request) => {
      const { tenantId } = visibleKey(fastify.db, request.admin, request.params.id);
      const key = revokeKey(fastify.db, request.params.id);
      fastify.stateChanged();
      return keyView({ key, tenantId });
    },
  );
}
