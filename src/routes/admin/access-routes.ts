import type { FastifyInstance } from 'fastify';
import adminAuthRoutes from './auth.js';
import consumersRoutes from './consumers.js';
import keysRoutes from './keys.js';
import tenantsRoutes from './tenants.js';
import adminUsersRoutes from './users.js';

/** The access-management half of the admin API: admin tokens and users, tenants, consumers, keys. */
export default async function adminAccessRoutes(fastify: FastifyInstance) {
  await fastify.register(adminAuthRoutes);
  await fastify.register(adminUsersRoutes);
  await fastify.register(tenantsRoutes);
  await fastify.register(consumersRoutes);
  await fastify.register(keysRoutes);
}
