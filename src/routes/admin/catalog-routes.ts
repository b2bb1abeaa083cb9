import type { FastifyInstance } from 'fastify';
import configRoutes from './config.js';
import modelsRoutes from './models.js';
import providersRoutes from './providers.js';
import servicesRoutes from './services.js';
import subscriptionsRoutes from './subscriptions.js';

/** The catalog half of the admin API: providers, models, services, subscriptions and the configuration as code. */
export default async function adminCatalogRoutes(fastify: FastifyInstance) {
  await fastify.register(providersRoutes);
  await fastify.register(modelsRoutes);
  await fastify.register(servicesRoutes);
  await fastify.register(subscriptionsRoutes);
  await fastify.register(configRoutes);
}
