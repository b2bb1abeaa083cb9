import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { notFound } from '../../admin/admin-errors.js';
import { createModel, deleteModel, findModel, listModels, modelView, updateModel, type ModelInput, type ModelPatch } from '../../admin/models-store.js';
import { pageBody, type PageRequest } from '../../admin/list-page.js';
import { listOf, pageQuery } from './access-schemas.js';
import { modelBody, modelNameParams, modelPatch, modelView as modelSchema } from './catalog-schemas.js';

/** `:name` for one path segment (a `/` sent as %2F), the hidden `*` for a name with a raw `/` in it. */
interface ByName {
  Params: { name?: string; '*'?: string };
}

const nameOf = (request: FastifyRequest<ByName>): string => request.params.name ?? request.params['*'] ?? '';

/**
 * `/admin/models`: public model names and their deployments. Platform admins write; tenant
 * admins read, so they know what to ask for, but do not see the deployments (internal routing).
 */
export default async function modelsRoutes(fastify: FastifyInstance) {
  const anyAdmin = fastify.requireAdmin();
  const platformOnly = fastify.requireAdmin('platform_admin');
  const tags = ['admin: catalog'];
  const internal = (request: FastifyRequest) => request.admin.role === 'platform_admin';

  fastify.get<{ Querystring: PageRequest }>(
    '/admin/models',
    { preHandler: anyAdmin, schema: { tags, summary: 'List models', querystring: pageQuery, response: { 200: listOf(modelSchema) } } },
    async (request) => pageBody(listModels(fastify.db, request.query), (model) => modelView(model, internal(request))),
  );

  fastify.post<{ Body: ModelInput }>(
    '/admin/models',
    { preHandler: platformOnly, schema: { tags, summary: 'Create a model with its deployments', body: modelBody, response: { 201: modelSchema } } },
    async (request, reply) => {
      const model = createModel(fastify.db, request.body);
      // The catalog reloads on this: the model is callable on the very next /v1 call.
      fastify.stateChanged();
      return reply.code(201).send(modelView(model));
    },
  );

  // Model names may hold '/', so each item route exists twice: documented with {name}, and as a hidden wildcard.
  for (const url of ['/admin/models/:name', '/admin/models/*']) {
    const hide = url.endsWith('*');
    const schema = (summary: string, extra: Record<string, unknown> = {}): RouteShorthandOptions['schema'] =>
      hide ? { hide: true, ...extra } : { tags, summary, params: modelNameParams, ...extra };

    fastify.get<ByName>(url, { preHandler: anyAdmin, schema: schema('Get a model', { response: { 200: modelSchema } }) }, async (request) => {
      const model = findModel(fastify.db, nameOf(request));
      if (model === undefined) throw notFound('Model', nameOf(request));
      return modelView(model, internal(request));
    });

    fastify.patch<ByName & { Body: ModelPatch }>(
      url,
      { preHandler: platformOnly, schema: schema('Change a model; deployments, when sent, replace the list', { body: modelPatch, response: { 200: modelSchema } }) },
      async (request) => {
        const model = updateModel(fastify.db, nameOf(request), request.body);
        fastify.stateChanged();
        return modelView(model);
      },
    );

    fastify.delete<ByName>(url, { preHandler: platformOnly, schema: schema('Delete a model no service offers') }, async (request, reply) => {
      deleteModel(fastify.db, nameOf(request));
      fastify.stateChanged();
      return reply.code(204).send();
    });
  }
}
