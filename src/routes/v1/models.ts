import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CatalogModel } from '../../catalog/model-catalog.js';
import type { AccessDecision } from '../../policy/chain-types.js';

function toOpenAIModel(model: CatalogModel) {
  return { id: model.name, object: 'model' as const, created: Math.floor(model.createdAt.getTime() / 1000), owned_by: 'gateway', type: model.type };
}

/** `?include=all`: every model, each with whether this key may call it and, if not, why. */
function withAccess(model: CatalogModel, decision: AccessDecision) {
  const access = decision.allowed ? { allowed: true } : { allowed: false, status: decision.status, code: decision.code, layer: decision.layer };
  return { ...toOpenAIModel(model), access };
}

const includeQuery = {
  type: 'object',
  properties: { include: { type: 'string', enum: ['all'], description: "'all' adds the models this key cannot call, with the reason." } },
} as const;

interface IncludeQuery {
  include?: 'all';
}

/** The model judged exactly as a call to it would be (the `models` scope passed in preHandler). */
function judge(fastify: FastifyInstance, request: FastifyRequest, model: string): AccessDecision {
  const run = request.access;
  if (run === null) throw new Error('/v1/models is served without the decision chain');
  return fastify.accessPolicy.evaluate({ ...run.context.query, endpoint: 'models', model, requestChecked: true });
}

/**
 * `GET /v1/models` lists exactly the models the caller's key could call now: the list and a call
 * are judged by the same chain, so a listed model is never refused by permission or subscription.
 */
export default async function modelsRoutes(fastify: FastifyInstance) {
  fastify.get<{ Querystring: IncludeQuery }>('/v1/models', { schema: { querystring: includeQuery } }, async (request) => {
    const all = request.query.include === 'all';
    const data = fastify.catalog.list().flatMap((model) => {
      const decision = judge(fastify, request, model.name);
      if (all) return [withAccess(model, decision)];
      return decision.allowed ? [toOpenAIModel(model)] : [];
    });
    return { object: 'list', data };
  });

  // A wildcard, because model names may contain '/', e.g. `meta-llama/Llama-3.1-8B`.
  fastify.get<{ Params: { '*': string }; Querystring: IncludeQuery }>('/v1/models/*', { schema: { querystring: includeQuery } }, async (request) => {
    const name = decodeURIComponent(request.params['*']);
    request.call.requestedModel = name;
    const decision = judge(fastify, request, name);
    // The trace of this model's decision replaces the bare listing check.
    request.call.decisionTrace = decision.steps;
    const model = decision.model;
    if (decision.error !== undefined && (model === undefined || request.query.include !== 'all')) {
      fastify.policyDenials.record(decision.error.layer, decision.error.code);
      throw decision.error;
    }
    if (model === undefined) throw new Error('an allowed model decision without a model');
    return request.query.include === 'all' ? withAccess(model, decision) : toOpenAIModel(model);
  });
}
