// Brings @fastify/swagger's typing of `tags`, `summary` and `description` in route schemas.
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { AccessEndpoint } from '../../policy/chain-types.js';
import { decisionBody, decisionBodySchema } from '../../policy/decision-body.js';
import { defaultEndpoint, endpointSchema } from '../../policy/default-endpoint.js';
import { credentialFrom } from '../../policy/request-credential.js';

const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());

const whoamiResponse = {
  type: 'object',
  properties: {
    key: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: ['string', 'null'] },
        prefix: { type: 'string' },
        scopes: { type: 'array', items: { type: 'string' } },
        expiresAt: { type: ['string', 'null'] },
      },
    },
    consumer: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, status: { type: 'string' } } },
    tenant: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, status: { type: 'string' } } },
  },
} as const;

const canIQuery = {
  type: 'object',
  properties: { model: { type: 'string', minLength: 1, maxLength: 256 }, endpoint: endpointSchema },
  required: ['model'],
  additionalProperties: false,
} as const;

/**
 * Callers explain themselves with their own key: who the gateway takes them for, and whether
 * (and why not) it would let them call a model. `can-i` runs the very chain of a live call.
 */
export default async function gatewayExplainerRoutes(fastify: FastifyInstance) {
  fastify.get(
    '/gateway/whoami',
    { schema: { tags: ['explain'], summary: "The caller's key, app and tenant (nothing secret)", response: { 200: whoamiResponse } } },
    async (request) => {
      const { key, consumer, tenant } = fastify.accessPolicy.identify(credentialFrom(request.headers, request.url));
      return {
        key: { id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, expiresAt: iso(key.expiresAt) },
        consumer: { id: consumer.id, name: consumer.name, status: consumer.status },
        tenant: { id: tenant.id, name: tenant.name, status: tenant.status },
      };
    },
  );

  fastify.get<{ Querystring: { model: string; endpoint?: AccessEndpoint } }>(
    '/gateway/can-i',
    {
      schema: {
        tags: ['explain'],
        summary: 'Would the gateway let this key call the model from here? Every step of the decision, without calling.',
        querystring: canIQuery,
        response: { 200: decisionBodySchema },
      },
    },
    async (request) => {
      const { model } = request.query;
      const endpoint = request.query.endpoint ?? defaultEndpoint(fastify.catalog, model);
      const decision = fastify.accessPolicy.evaluate({ credential: credentialFrom(request.headers, request.url), endpoint, model, ip: request.ip });
      // A key the gateway cannot identify gets the 401 a call would get (DESIGN §7).
      if (decision.layer === 'auth' && decision.error !== undefined) throw decision.error;
      return decisionBody(await fastify.limits.explain(request, decision, endpoint));
    },
  );
}
