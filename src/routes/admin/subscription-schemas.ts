/** JSON schemas of `/admin/subscriptions`: requests of a consumer for a service, and their decisions. */
import type {} from '@fastify/swagger';
import { pageQueryProperties } from './access-schemas.js';

const id = { type: 'string', minLength: 1, maxLength: 128 } as const;
const status = { type: 'string', enum: ['pending', 'approved', 'rejected', 'revoked'] } as const;
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const subscriptionBody = {
  type: 'object',
  properties: { consumerId: id, serviceId: id },
  required: ['consumerId', 'serviceId'],
  additionalProperties: false,
} as const;

export const subscriptionQuery = {
  type: 'object',
  properties: { status, consumerId: id, serviceId: id, ...pageQueryProperties },
  additionalProperties: false,
} as const;

const reason = { type: 'string', minLength: 1, maxLength: 1000, description: 'Why; shown to the app when its calls are refused.' } as const;

/** Approval takes an optional note; rejecting or revoking must say why. */
export const approveBody = { type: 'object', properties: { reason }, additionalProperties: false } as const;
export const decisionBody = { type: 'object', properties: { reason }, required: ['reason'], additionalProperties: false } as const;

export const subscriptionView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    consumerId: { type: 'string' },
    tenantId: { type: 'string' },
    serviceId: { type: 'string' },
    serviceName: { type: 'string' },
    status,
    reason: { type: ['string', 'null'] },
    requestedAt: { type: 'string', format: 'date-time' },
    requestedBy: { type: ['string', 'null'], description: 'The admin who asked.' },
    decidedAt: nullableTimestamp,
    decidedBy: {
      type: ['string', 'null'],
      description: 'The admin who decided last; system:auto-approval for a service with approval auto, system:config-file for the configuration file.',
    },
  },
} as const;
