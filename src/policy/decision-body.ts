import type { AccessDecision } from './chain-types.js';

/**
 * The dry-run answer of `GET /gateway/can-i` and `POST /admin/access/check` (DESIGN §7):
 * `{allowed, status, code?, layer?, steps}`, plus the denial's message and hint.
 */
export function decisionBody(decision: AccessDecision) {
  return {
    allowed: decision.allowed,
    status: decision.status,
    ...(decision.code === undefined ? {} : { code: decision.code }),
    ...(decision.layer === undefined ? {} : { layer: decision.layer }),
    ...(decision.error === undefined ? {} : { message: decision.error.message }),
    ...(decision.error?.hint === undefined ? {} : { hint: decision.error.hint }),
    steps: decision.steps,
  };
}

const step = {
  type: 'object',
  properties: { layer: { type: 'string' }, outcome: { type: 'string', enum: ['pass', 'deny', 'skip'] }, detail: { type: 'string' } },
  required: ['layer', 'outcome', 'detail'],
} as const;

export const decisionBodySchema = {
  type: 'object',
  properties: {
    allowed: { type: 'boolean' },
    status: { type: 'integer' },
    code: { type: 'string' },
    layer: { type: 'string' },
    message: { type: 'string' },
    hint: { type: 'string' },
    steps: { type: 'array', items: step },
  },
  required: ['allowed', 'status', 'steps'],
} as const;
