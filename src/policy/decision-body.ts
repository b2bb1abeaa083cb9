import type { AccessDecision } from './chain-types.js';

/**
 * The dry-run answer of `GET /gateway/can-i` and `POST /admin/access/check` (DESIGN §7):
 * `{allowed, status, code?, layer?, steps}`, plus the denial's message and hint.
 */
export function decisionBody(decision: AccessDecision) {
  return {
    ...(decision.allowed ? conditionsOf(decision) : {}),
    allowed: decision.allowed,
    status: decision.status,
    ...(decision.code === undefined ? {} : { code: decision.code }),
    ...(decision.layer === undefined ? {} : { layer: decision.layer }),
    ...(decision.error === undefined ? {} : { message: decision.error.message }),
    ...(decision.error?.hint === undefined ? {} : { hint: decision.error.hint }),
    steps: decision.steps,
  };
}

/**
 * An allowed answer that rests on a step it could not check (no client IP given for a key with an
 * IP allow-list, a limit store that is unreachable) says so in its hint: a script that reads only
 * `allowed` must not take "allowed from the addresses in the list" for "allowed". A dry run never
 * has a body, so the `request` step's skip is no condition.
 */
function conditionsOf(decision: AccessDecision): { hint?: string } {
  const unchecked = decision.steps.filter((step) => step.outcome === 'skip' && step.layer !== 'request');
  if (unchecked.length === 0) return {};
  return { hint: `Allowed only if what was not checked passes: ${unchecked.map((step) => `${step.layer}, ${step.detail}`).join('; ')}.` };
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
