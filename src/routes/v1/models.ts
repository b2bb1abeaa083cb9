import type { FastifyInstance } from 'fastify';
import type { CatalogModel } from '../../catalog/model-catalog.js';

function toOpenAIModel(model: CatalogModel) {
  return { id: model.name, object: 'model' as const, created: Math.floor(model.createdAt.getTime() / 1000), owned_by: 'gateway', type: model.type };
}

export default async function modelsRoutes(fastify: FastifyInstance) {
  fastify.get('/v1/models', async (request) => {
    request.call.endpoint = 'models';
    return { object: 'list', data: fastify.catalog.list().map(toOpenAIModel) };
  });

  // A wildcard, because model names may contain '/', e.g. `meta-llama/Llama-3.1-8B`.
  fastify.get<{ Params: { '*': string } }>('/v1/models/*', async (request) => {
    request.call.endpoint = 'models';
    const name = decodeURIComponent(request.params['*']);
    request.call.requestedModel = name;
    const model = fastify.catalog.find(name) ?? fastify.catalog.resolve(name, 'chat');
    return toOpenAIModel(model);
  });
}
