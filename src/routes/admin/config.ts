import type { FastifyInstance, FastifyRequest } from 'fastify';
import { applyGatewayConfig, planGatewayConfig } from '../../config/apply-gateway-config.js';
import { exportGatewayConfig } from '../../config/export-gateway-config.js';
import { ConfigError, parseGatewayConfig, type GatewayConfig } from '../../config/gateway-config.js';
import { GatewayError } from '../../errors.js';
import { configBody, configPlanView } from './config-schemas.js';

const yamlTypes = ['text/yaml', 'application/yaml', 'application/x-yaml'];

/** A problem in the posted file is the caller's: a 400 naming where in the file it is. */
function explainingConfigErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new GatewayError('invalid_request', error.message, {
      param: error.path ?? null,
      hint: 'Fix it and preview again; GET /admin/config shows the current state in this format.',
    });
  }
}

/** The posted text: the YAML itself, or `{yaml}` in JSON. */
function postedConfig(request: FastifyRequest<{ Body: string | { yaml: string } }>): GatewayConfig {
  const text = typeof request.body === 'string' ? request.body : request.body.yaml;
  // An exported file's ${X_API_KEY} placeholders keep the stored credentials when X_API_KEY is unset.
  return explainingConfigErrors(() => parseGatewayConfig(text, 'posted configuration', process.env, { unsetCredential: 'keep' }));
}

/**
 * Configuration as code over the admin API (platform admins): export the current state as
 * `gateway.config.yaml`, preview what a file would change, apply it.
 */
export default async function configRoutes(fastify: FastifyInstance) {
  const preHandler = fastify.requireAdmin('platform_admin');
  const tags = ['admin: configuration'];
  // Only in this plugin's scope: the rest of the API stays JSON-only.
  fastify.addContentTypeParser(yamlTypes, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  fastify.get(
    '/admin/config',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Export the current state as gateway.config.yaml (credentials as ${PROVIDER_API_KEY} placeholders)',
        response: { 200: { description: 'The YAML text.', content: { 'text/yaml': { schema: { type: 'string' } } } } },
      },
    },
    async (_request, reply) => reply.type('text/yaml; charset=utf-8').send(exportGatewayConfig(fastify.db)),
  );

  fastify.post<{ Body: string | { yaml: string } }>(
    '/admin/config/preview',
    { preHandler, schema: { tags, summary: 'What applying this configuration would change, object by object; changes nothing', body: configBody, response: { 200: configPlanView } } },
    async (request) => {
      const config = postedConfig(request);
      const plan = explainingConfigErrors(() => planGatewayConfig(fastify.db, config, fastify.secrets, { actor: request.admin.username }));
      return { ...plan, applied: false };
    },
  );

  fastify.post<{ Body: string | { yaml: string } }>(
    '/admin/config/apply',
    { preHandler, schema: { tags, summary: 'Apply this configuration in one transaction and answer what changed', body: configBody, response: { 200: configPlanView } } },
    async (request) => {
      const config = postedConfig(request);
      const plan = explainingConfigErrors(() => applyGatewayConfig(fastify.db, config, fastify.secrets, { actor: request.admin.username }));
      if (plan.changed) fastify.stateChanged();
      request.log.info({ summary: plan.summary }, 'configuration applied through the admin API');
      return { ...plan, applied: true };
    },
  );
}
