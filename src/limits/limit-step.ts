import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChatRequest, EmbeddingRequest } from '../adapters/types.js';
import { isGatewayError } from '../errors.js';
import type { AccessDecision, AccessEndpoint, Principal } from '../policy/chain-types.js';
import type { ChainRun } from '../policy/decision-chain.js';
import type { ModelPricing } from '../catalog/model-catalog.js';
import type { TokenCounter } from '../usage/token-counter.js';
import type { LimitSubject } from './limit-engine.js';
import type { TokenDemand } from './limit-errors.js';
import { chatTokenDemand, embeddingTokenDemand, noTokenDemand, pricedDemand, type CallDemand } from './token-demand.js';
import type { GatewayLimits } from '../plugins/limits.js';

/**
 * The `limit` step, the last of the decision chain (DESIGN §1). The other steps read only the
 * in-memory snapshot and run synchronously; this one counts in a store that may be Redis, so it
 * runs right after them, appending its step to the same run (live) or decision (dry run).
 */

export function limitSubjectOf(principal: Principal): LimitSubject {
  const { key, tenant } = principal;
  return {
    keyId: key.id,
    tenantId: tenant.id,
    key: { rpm: key.rpm, tpm: key.tpm, budgetUsd: key.budgetUsd },
    tenant: { rpm: tenant.rpm, tpm: tenant.tpm, budgetUsd: tenant.monthlyBudgetUsd },
  };
}

/** The tokens and the most a live call can cost, counted only when a token limit or a budget needs them. */
export function liveDemand(counter: TokenCounter, endpoint: AccessEndpoint, body: unknown, pricing: ModelPricing | null): CallDemand {
  if (endpoint === 'chat') return pricedDemand(() => chatTokenDemand(counter, body as ChatRequest), pricing);
  if (endpoint === 'embeddings') return pricedDemand(() => embeddingTokenDemand(counter, body as EmbeddingRequest), pricing);
  return pricedDemand(() => noTokenDemand, null);
}

/** A dry run has no prompt: it asks whether a call could get a token at all. */
function dryRunTokenDemand(endpoint: AccessEndpoint): TokenDemand {
  return endpoint === 'models' ? noTokenDemand : { tokens: 1, promptTokens: 1, maxOutputTokens: 0 };
}

/** Live: counts the call (or refuses it, throwing the catalogue error) and records the step in its trace. */
export async function enforceLimitStep(
  limits: GatewayLimits,
  counter: TokenCounter,
  request: FastifyRequest,
  reply: FastifyReply,
  run: ChainRun,
  pricing: ModelPricing | null,
): Promise<void> {
  const principal = run.context.principal;
  if (principal === undefined || run.denial !== null) return;
  try {
    const verdict = await limits.enforce(request, reply, limitSubjectOf(principal), liveDemand(counter, run.context.query.endpoint, request.body, pricing));
    run.steps.push({ layer: 'limit', outcome: verdict.outcome, detail: verdict.detail });
  } catch (error) {
    if (isGatewayError(error) && error.layer === 'limit') {
      run.steps.push({ layer: 'limit', outcome: 'deny', detail: error.message });
      run.denial = error;
    }
    throw error;
  }
}

/** Dry run (`can-i`, `access/check`): the decision with the limit step added, nothing counted. */
export async function explainLimitStep(limits: GatewayLimits, request: FastifyRequest, decision: AccessDecision, endpoint: AccessEndpoint): Promise<AccessDecision> {
  if (!decision.allowed || decision.principal === undefined) return decision;
  try {
    // Nothing to price either: a dry run asks whether anything of a budget is left.
    const verdict = await limits.check(request, limitSubjectOf(decision.principal), pricedDemand(() => dryRunTokenDemand(endpoint), null));
    return { ...decision, steps: [...decision.steps, { layer: 'limit', outcome: verdict.outcome, detail: verdict.detail }] };
  } catch (error) {
    if (!isGatewayError(error) || error.layer !== 'limit') throw error;
    return {
      ...decision,
      allowed: false,
      status: error.status,
      code: error.code,
      layer: error.layer,
      error,
      steps: [...decision.steps, { layer: 'limit', outcome: 'deny', detail: error.message }],
    };
  }
}
