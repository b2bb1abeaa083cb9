import type { FastifyInstance } from 'fastify';
import { normalizeAllowedIps } from '../../admin/access-limits.js';
import { ownTenantOnly, visibleTenant } from '../../admin/tenant-visibility.js';
import { createTenant, deleteTenant, listTenants, tenantView, updateTenant, type TenantInput, type TenantPatch } from '../../admin/tenants-store.js';
import { pageBody, type PageRequest } from '../../admin/list-page.js';
import { idParams, listOf, pageQuery, tenantBody, tenantPatch, tenantView as tenantSchema } from './access-schemas.js';

interface TenantById {
  Params: { id: string };
}

/** `/admin/tenants`: platform admins write; a tenant admin reads its own tenant only. */
export default async function tenantsRoutes(fastify: FastifyInstance) {
  const anyAdmin = fastify.requireAdmin();
  const platformOnly = fastify.requireAdmin('platform_admin');
  const tags = ['admin: access'];
  const params = idParams('id');

  fastify.get<{ Querystring: PageRequest }>(
    '/admin/tenants',
    { preHandler: anyAdmin, schema: { tags, summary: 'List tenants', querystring: pageQuery, response: { 200: listOf(tenantSchema) } } },
    async (request) => pageBody(listTenants(fastify.db, ownTenantOnly(request.admin), request.query), tenantView),
  );

  fastify.post<{ Body: TenantInput }>(
    '/admin/tenants',
    { preHandler: platformOnly, schema: { tags, summary: 'Create a tenant', body: tenantBody, response: { 201: tenantSchema } } },
    async (request, reply) => {
      const allowedIps = normalizeAllowedIps(request.body.allowedIps);
      const tenant = createTenant(fastify.db, { ...request.body, ...(allowedIps === undefined ? {} : { allowedIps }) });
      fastify.stateChanged();
      return reply.code(201).send(tenantView(tenant));
    },
  );

  fastify.get<TenantById>('/admin/tenants/:id', { preHandler: anyAdmin, schema: { tags, summary: 'Get a tenant', params, response: { 200: tenantSchema } } }, async (request) => {
    return tenantView(visibleTenant(fastify.db, request.admin, request.params.id));
  });

  fastify.patch<TenantById & { Body: TenantPatch }>(
    '/admin/tenants/:id',
    { preHandler: platformOnly, schema: { tags, summary: 'Change a tenant', params, body: tenantPatch, response: { 200: tenantSchema } } },
    async (request) => {
      const allowedIps = normalizeAllowedIps(request.body.allowedIps);
      const tenant = updateTenant(fastify.db, request.params.id, { ...request.body, ...(allowedIps === undefined ? {} : { allowedIps }) });
      fastify.stateChanged();
      return tenantView(tenant);
    },
  );

  fastify.delete<TenantById>('/admin/tenants/:id', { preHandler: platformOnly, schema: { tags, summary: 'Delete a tenant', params } }, async (request, reply) => {
    deleteTenant(fastify.db, request.params.id);
    fastify.stateChanged();
    return reply.code(204).send();
  });
}
