import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ChatRequest, EmbeddingRequest } from '../adapters/types.js';
import type { DeploymentRoute } from '../catalog/model-catalog.js';
import { deploymentsAccepting } from '../routing/deployment-check.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The deployments of the requested model that accept this request (`null`: not checked). */
    deployments: readonly DeploymentRoute[] | null;
  }
}

/**
 * After the policy steps and before the limits: the model's adapters judge what only they can (a
 * parameter their provider cannot honour, a value they cannot translate). A request that none of
 * them accepts is refused here, with the adapter's own 400, before it counts against a rate,
 * token or budget limit; one that some accept is routed to those only.
 */
export default fp(
  async function deploymentCheck(fastify: FastifyInstance) {
    fastify.decorateRequest('deployments', null);
    fastify.addHook('preHandler', async (request) => {
      const run = request.access;
      if (run === null || run.denial !== null) return;
      const { endpoint, model } = run.context.query;
      if (model === undefined) return;
      const onCrash = (error: unknown, route: DeploymentRoute) =>
        request.log.error({ err: error, provider: route.providerName }, "the adapter's request check failed unexpectedly; the deployment was left out");
      if (endpoint === 'chat') {
        request.deployments = await deploymentsAccepting(fastify.catalog.resolve(model, endpoint), { endpoint, request: request.body as ChatRequest }, onCrash);
      } else if (endpoint === 'embeddings') {
        request.deployments = await deploymentsAccepting(fastify.catalog.resolve(model, endpoint), { endpoint, request: request.body as EmbeddingRequest }, onCrash);
      }
    });
  },
  { name: 'deployment-check', dependencies: ['access-policy', 'model-router', 'request-context'] },
);
