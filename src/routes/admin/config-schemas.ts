/** JSON schemas of `/admin/config`: the YAML in, the object-by-object diff out. */
import type {} from '@fastify/swagger';

const yamlText = { type: 'string', minLength: 1, description: 'The gateway.config.yaml text.' } as const;

/** The YAML as the body itself (text/yaml and friends), or wrapped as `{yaml}` in JSON. */
export const configBody = {
  content: {
    'application/json': { schema: { type: 'object', properties: { yaml: yamlText }, required: ['yaml'], additionalProperties: false } },
    'text/yaml': { schema: yamlText },
    'application/yaml': { schema: yamlText },
    'application/x-yaml': { schema: yamlText },
  },
} as const;

const action = { type: 'string', enum: ['create', 'update', 'unchanged'] } as const;

export const configPlanView = {
  type: 'object',
  properties: {
    changed: { type: 'boolean', description: 'Whether applying creates or updates anything.' },
    applied: { type: 'boolean', description: 'false for a preview: nothing was written.' },
    summary: { type: 'object', properties: { create: { type: 'integer' }, update: { type: 'integer' }, unchanged: { type: 'integer' } } },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['provider', 'model', 'tenant', 'consumer', 'service', 'subscription'] },
          name: { type: 'string', description: 'tenant/consumer for consumers, tenant/consumer -> service for subscriptions.' },
          action,
          changes: {
            type: 'array',
            description: 'For an update. A credential change is described ("(stored)", "(new)", "(none)"), never shown.',
            items: { type: 'object', properties: { field: { type: 'string' }, from: {}, to: {} } },
          },
          warnings: { type: 'array', items: { type: 'string' }, description: "What is likely wrong with the object as declared (a provider's base URL for its kind); it is applied all the same." },
        },
      },
    },
  },
} as const;
