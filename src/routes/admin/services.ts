import type { FastifyInstance } from 'fastify';
import { notFound } from '../../admin/admin-errors.js';
import { createService, deleteService, findService, listServices, serviceView, updateService, type ServiceInput, type ServicePatch } from '../../admin/services-store.js';
import { pageBody, type PageRequest } from '../../admin/list-page.js';
import { idParams, listOf, pageQuery } from './access-schemas.js';
import { serviceBody, servicePatch, serviceView as serviceSchema } from './catalog-schemas.js';

interface ById {
  Params: { id: string };
}

/** `/admin/services`: bundles of models that apps subscribe to. Platform admins write; tenant admins read to know what to request. */
export default async function servicesRoutes(fastify: FastifyInstance) {
  const anyAdmin = fastify.requireAdmin();
  const platformOnly = fastify.requireAdmin('platform_admin');
  const tags = ['admin: catalog'];
  const params = idParams('id');

  fastify.get<{ Querystring: PageRequest }>(
    '/admin/services',
    { preHandler: anyAdmin, schema: { tags, summary: 'List services', querystring: pageQuery, response: { 200: listOf(serviceSchema) } } },
    async (request) => pageBody(listServices(fastify.db, request.query), serviceView),
  );

  fastify.post<{ Body: ServiceInput }>(
    '/admin/services',
    { preHandler: platformOnly, schema: { tags, summary: 'Create a service (models may be empty)', body: serviceBody, response: { 201: serviceSchema } } },
    async (request, reply) => {
      const service = createService(fastify.db, request.body);
      fastify.stateChanged();
      return reply.code(201).send(serviceView(service));
    },
  );

  fastify.get<ById>('/admin/services/:id', { preHandler: anyAdmin, schema: { tags, summary: 'Get a service', params, response: { 200: serviceSchema } } }, async (request) => {
    const service = findService(fastify.db, request.params.id);
    if (service === undefined) throw notFound('Service', request.params.id);
    return serviceView(service);
  });

  fastify.patch<ById & { Body: ServicePatch }>(
    '/admin/services/:id',
    { preHandler: platformOnly, schema: { tags, summary: 'Change a service; models, when sent, replace the list', params, body: servicePatch, response: { 200: serviceSchema } } },
    async (request) => {
      const service = updateService(fastify.db, request.params.id, request.body);
      fastify.stateChanged();
      return serviceView(service);
    },
  );

  fastify.delete<ById>(
    '/admin/services/:id',
    { preHandler: platformOnly, schema: { tags, summary: 'Delete a service without pending or approved subscriptions', params } },
    async (request, reply) => {
      deleteService(fastify.db, request.params.id);
      fastify.stateChanged();
      return reply.code(204).send();
    },
  );
}
