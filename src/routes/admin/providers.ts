import type { FastifyInstance } from 'fastify';
import { notFound } from '../../admin/admin-errors.js';
import {
  createProvider,
  deleteProvider,
  findProvider,
  listProviders,
  providerView,
  updateProvider,
  type ProviderInput,
  type ProviderPatch,
} from '../../admin/providers-store.js';
import { pageBody, type PageRequest } from '../../admin/list-page.js';
import { idParams, listOf, pageQuery } from './access-schemas.js';
import { providerBody, providerPatch, providerView as providerSchema } from './catalog-schemas.js';

interface ById {
  Params: { id: string };
}

/** `/admin/providers`: upstream accounts. Platform admins only; the credential goes in and never comes out. */
export default async function providersRoutes(fastify: FastifyInstance) {
  const preHandler = fastify.requireAdmin('platform_admin');
  const tags = ['admin: catalog'];
  const params = idParams('id');

  fastify.get<{ Querystring: PageRequest }>(
    '/admin/providers',
    { preHandler, schema: { tags, summary: 'List providers', querystring: pageQuery, response: { 200: listOf(providerSchema) } } },
    async (request) => pageBody(listProviders(fastify.db, request.query), providerView),
  );

  fastify.post<{ Body: ProviderInput }>(
    '/admin/providers',
    { preHandler, schema: { tags, summary: 'Create a provider (its apiKey is stored sealed)', body: providerBody, response: { 201: providerSchema } } },
    async (request, reply) => {
      const provider = createProvider(fastify.db, fastify.secrets, request.body);
      fastify.stateChanged();
      return reply.code(201).send(providerView(provider));
    },
  );

  fastify.get<ById>('/admin/providers/:id', { preHandler, schema: { tags, summary: 'Get a provider', params, response: { 200: providerSchema } } }, async (request) => {
    const provider = findProvider(fastify.db, request.params.id);
    if (provider === undefined) throw notFound('Provider', request.params.id);
    return providerView(provider);
  });

  fastify.patch<ById & { Body: ProviderPatch }>(
    '/admin/providers/:id',
    {
      preHandler,
      schema: { tags, summary: 'Change a provider; apiKey replaces the credential, null removes it', params, body: providerPatch, response: { 200: providerSchema } },
    },
    async (request) => {
      const provider = updateProvider(fastify.db, fastify.secrets, request.params.id, request.body);
      fastify.stateChanged();
      return providerView(provider);
    },
  );

  fastify.delete<ById>(
    '/admin/providers/:id',
    { preHandler, schema: { tags, summary: 'Delete a provider no model deploys to', params } },
    async (request, reply) => {
      deleteProvider(fastify.db, request.params.id);
      fastify.stateChanged();
      return reply.code(204).send();
    },
  );
}
