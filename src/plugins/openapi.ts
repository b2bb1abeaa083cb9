import { readFileSync } from 'node:fs';
import path from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { projectRoot } from '../project-root.js';

const { version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };

interface OpenApiTagged {
  tags?: Array<{ name: string; description?: string }>;
  paths?: Record<string, Record<string, { tags?: string[] } | undefined>>;
}

/** Routes registered without tags (the invocation API, health) are grouped by their path. */
function defaultTags(url: string): string[] {
  if (url.startsWith('/v1/')) return ['invocation'];
  if (url.startsWith('/gateway/')) return ['callers'];
  if (url.startsWith('/admin/')) return ['admin'];
  return ['operations'];
}

/** Which credential a path takes: a gateway API key, an admin token, or none. */
function securityFor(url: string): Array<Record<string, string[]>> | undefined {
  if (url === '/admin/auth/token') return [];
  if (url.startsWith('/admin/')) return [{ adminToken: [] }];
  if (url.startsWith('/v1/') || url.startsWith('/gateway/')) return [{ gatewayKey: [] }];
  return undefined;
}

/**
 * The OpenAPI 3.1 description of the whole HTTP surface, generated from the route schemas:
 * `GET /openapi.json` (the interactive reference at `/docs` is `openapiReference`). Registered before any route,
 * since it learns the routes as they are added. It only reads the schemas: validation is unchanged.
 */
export default fp(
  async function openapi(fastify: FastifyInstance) {
    await fastify.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Pinpoint gateway',
          version,
          description:
            'An OpenAI-compatible AI gateway. Call models under /v1 with a gateway API key; manage the gateway under /admin with an admin token (POST /admin/auth/token). Every error has the same envelope: {error: {message, type, code, param, layer, hint, request_id}}.',
        },
        tags: [
          { name: 'invocation', description: 'The OpenAI-compatible API, called with a gateway API key.' },
          { name: 'callers', description: 'Callers check themselves with their own key.' },
          { name: 'admin: access', description: 'Admin users, tenants, consumers (apps) and their API keys.' },
          { name: 'admin: catalog', description: 'Providers, models and their deployments, services.' },
          { name: 'admin: subscriptions', description: 'Requests of apps for services, and their approval.' },
          { name: 'admin: configuration', description: 'gateway.config.yaml over the API: export, preview, apply.' },
          { name: 'operations', description: 'Health, readiness and metrics.' },
        ],
        components: {
          securitySchemes: {
            gatewayKey: { type: 'http', scheme: 'bearer', description: 'A gateway API key (gw-…), also accepted as x-api-key.' },
            adminToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'From POST /admin/auth/token.' },
          },
        },
      },
      // Tags other route files use without declaring them still get an entry, so the list is complete.
      transformObject: (documentObject) => {
        if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
        // Only tags and the operations' tags are touched; the rest passes through as generated.
        const document = documentObject.openapiObject as OpenApiTagged;
        const declared = new Set((document.tags ?? []).map((tag) => tag.name));
        for (const operations of Object.values(document.paths ?? {})) {
          for (const operation of Object.values(operations)) {
            for (const tag of operation?.tags ?? []) {
              if (!declared.has(tag)) document.tags = [...(document.tags ?? []), { name: tag }];
              declared.add(tag);
            }
          }
        }
        return documentObject.openapiObject;
      },
      transform: ({ schema, url }) => {
        const given = (schema ?? {}) as FastifySchema & { tags?: string[] };
        const security = securityFor(url);
        return {
          schema: { ...given, tags: given.tags ?? defaultTags(url), ...(security === undefined ? {} : { security }) } as typeof schema,
          url,
        };
      },
    });
    fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  },
  { name: 'openapi' },
);

/**
 * The interactive reference at `/docs` (Swagger UI over the same document). Registered after
 * the other plugins: its routes live in their own encapsulated context, which must be created
 * once every request decorator and hook of the gateway exists.
 */
export const openapiReference = fp(
  async function openapiReference(fastify: FastifyInstance) {
    await fastify.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'openapi-reference', dependencies: ['openapi'] },
);
