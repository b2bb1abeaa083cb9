import type { FastifyInstance } from 'fastify';
import { adminUserView, createAdminUser, deleteAdminUser, listAdminUsers } from '../../admin/admin-users-store.js';
import { invalidField } from '../../admin/admin-errors.js';
import { hashPassword } from '../../admin/passwords.js';
import type { AdminRole } from '../../plugins/admin-auth.js';
import { pageBody, type PageRequest } from '../../admin/list-page.js';
import { adminUserBody, adminUserView as adminUserSchema, idParams, listOf, pageQuery } from './access-schemas.js';

interface CreateUser {
  Body: { username: string; password: string; role: AdminRole; tenantId?: string };
}

/** `/admin/users`: platform admins manage the admin accounts (DESIGN §7). */
export default async function adminUsersRoutes(fastify: FastifyInstance) {
  const platformOnly = fastify.requireAdmin('platform_admin');
  const tags = ['admin: access'];

  fastify.get<{ Querystring: PageRequest }>(
    '/admin/users',
    { preHandler: platformOnly, schema: { tags, summary: 'List admin users', querystring: pageQuery, response: { 200: listOf(adminUserSchema) } } },
    async (request) => pageBody(listAdminUsers(fastify.db, request.query), adminUserView),
  );

  fastify.post<CreateUser>(
    '/admin/users',
    { preHandler: platformOnly, schema: { tags, summary: 'Create an admin user', body: adminUserBody, response: { 201: adminUserSchema } } },
    async (request, reply) => {
      const { username, password, role, tenantId } = request.body;
      if (role === 'tenant_admin' && tenantId === undefined) {
        throw invalidField('tenantId', 'A tenant_admin needs a tenantId: the tenant it administers.');
      }
      if (role === 'platform_admin' && tenantId !== undefined) {
        throw invalidField('tenantId', 'A platform_admin administers every tenant; leave tenantId out.');
      }
      const user = createAdminUser(fastify.db, { username, passwordHash: await hashPassword(password), role, tenantId: tenantId ?? null });
      fastify.stateChanged();
      return reply.code(201).send(adminUserView(user));
    },
  );

  fastify.delete<{ Params: { username: string } }>(
    '/admin/users/:username',
    { preHandler: platformOnly, schema: { tags, summary: 'Delete an admin user', params: idParams('username') } },
    async (request, reply) => {
      deleteAdminUser(fastify.db, request.params.username);
      fastify.stateChanged();
      return reply.code(204).send();
    },
  );
}
