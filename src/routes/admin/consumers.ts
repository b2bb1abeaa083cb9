import type { FastifyInstance } from 'fastify';
import { invalidField } from '../../admin/admin-errors.js';
import { consumerView, createConsumer, deleteConsumer, listConsumers, updateConsumer, type ConsumerPatch } from '../../admin/consumers-store.js';
import { ownTenantOnly, visibleConsumer, visibleTenant } from '../../admin/tenant-visibility.js';
import { pageBody, type PageRequest } from '../../admin/list-page.js';
import { consumerBody, consumerPatch, consumerQuery, consumerView as consumerSchema, idParams, listOf } from './access-schemas.js';

interface ConsumerById {
  Params: { id: string };
}

interface CreateConsumer {
  Body: { tenantId?: string; name: string; status?: 'active' | 'disabled' };
}

/** `/admin/consumers`: the apps of a tenant. Tenant admins manage their own tenant's. */
export default async function consumersRoutes(fastify: FastifyInstance) {
  const anyAdmin = fastify.requireAdmin();
  const tags = ['admin: access'];
  const params = idParams('id');

  fastify.get<{ Querystring: { tenantId?: string } & PageRequest }>(
    '/admin/consumers',
    { preHandler: anyAdmin, schema: { tags, summary: 'List consumers, optionally of one tenant', querystring: consumerQuery, response: { 200: listOf(consumerSchema) } } },
    async (request) => {
      const { tenantId, ...page } = request.query;
      const only = tenantId === undefined ? ownTenantOnly(request.admin) : visibleTenant(fastify.db, request.admin, tenantId, 'tenantId').id;
      return pageBody(listConsumers(fastify.db, only, page), consumerView);
    },
  );

  fastify.post<CreateConsumer>(
    '/admin/consumers',
    { preHandler: anyAdmin, schema: { tags, summary: 'Create a consumer (an app of a tenant)', body: consumerBody, response: { 201: consumerSchema } } },
    async (request, reply) => {
      const { tenantId, ...rest } = request.body;
      // A tenant admin may leave tenantId out: its own tenant is meant.
      const owner = tenantId ?? request.admin.tenantId;
      if (owner === null) throw invalidField('tenantId', 'tenantId is required: the tenant the consumer belongs to.');
      const consumer = createConsumer(fastify.db, { ...rest, tenantId: visibleTenant(fastify.db, request.admin, owner, 'tenantId').id });
      fastify.stateChanged();
      return reply.code(201).send(consumerView(consumer));
    },
  );

  fastify.get<ConsumerById>('/admin/consumers/:id', { preHandler: anyAdmin, schema: { tags, summary: 'Get a consumer', params, response: { 200: consumerSchema } } }, async (request) =>
    consumerView(visibleConsumer(fastify.db, request.admin, request.params.id)),
  );

  fastify.patch<ConsumerById & { Body: ConsumerPatch }>(
    '/admin/consumers/:id',
    { preHandler: anyAdmin, schema: { tags, summary: 'Rename, disable or enable a consumer', params, body: consumerPatch, response: { 200: consumerSchema } } },
    async (request) => {
      const consumer = updateConsumer(fastify.db, visibleConsumer(fastify.db, request.admin, request.params.id).id, request.body);
      fastify.stateChanged();
      return consumerView(consumer);
    },
  );

  fastify.delete<ConsumerById>('/admin/consumers/:id', { preHandler: anyAdmin, schema: { tags, summary: 'Delete a consumer', params } }, async (request, reply) => {
    deleteConsumer(fastify.db, visibleConsumer(fastify.db, request.admin, request.params.id).id);
    fastify.stateChanged();
    return reply.code(204).send();
  });
}
