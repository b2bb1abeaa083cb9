import { GatewayError } from '../errors.js';
import type { BudgetPeriod } from './budget-period.js';
import { formatResetDuration, retryHeaders, windowHeaders } from './limit-headers.js';

export type LimitScope = 'key' | 'tenant';

/** Whose limit: the caller's own key or tenant (its own ids only, never another tenant's). */
export interface ScopeRef {
  scope: LimitScope;
  id: string;
}

function owner(ref: ScopeRef, startOfSentence = true): string {
  const text = ref.scope === 'key' ? `this API key's (${ref.id})` : `your tenant's (${ref.id})`;
  return startOfSentence ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

function raiseHint(ref: ScopeRef, field: string): string {
  return ref.scope === 'key'
    ? `A tenant admin can raise it: PATCH /admin/keys/${ref.id} {"${field}": …}.`
    : `A platform admin can raise it: PATCH /admin/tenants/${ref.id} {"${field === 'budgetUsd' ? 'monthlyBudgetUsd' : field}": …}.`;
}

/** `per minute` for the default window; the exact length otherwise (tests, custom windows). */
export function windowLabel(windowMs: number): string {
  return windowMs === 60_000 ? 'per minute' : `per ${formatResetDuration(windowMs)} window`;
}

export function requestLimitReached(ref: ScopeRef, limit: number, resetMs: number, windowMs: number): GatewayError {
  return new GatewayError(
    'rate_limit_exceeded',
    `${owner(ref)} limit of ${limit} requests ${windowLabel(windowMs)} is reached; it resets in ${formatResetDuration(resetMs)}.`,
    {
      hint: `Retrying after Retry-After will succeed. ${raiseHint(ref, 'rpm')}`,
      headers: { ...retryHeaders(resetMs), ...windowHeaders('requests', { limit, remaining: 0, resetMs }) },
    },
  );
}

export interface TokenDemand {
  /** What the call reserves: the prompt (counted) plus the largest answer it asked for. */
  tokens: number;
  promptTokens: number;
  /** max_completion_tokens / max_tokens times n; 0 when the request sets none. */
  maxOutputTokens: number;
}

export function tokenLimitReached(ref: ScopeRef, limit: number, used: number, demand: TokenDemand, resetMs: number, windowMs: number): GatewayError {
  return new GatewayError(
    'token_rate_limit_exceeded',
    `${owner(ref)} limit of ${limit} tokens ${windowLabel(windowMs)} cannot take this request: ${Math.max(0, limit - used)} tokens are left and it needs about ${demand.tokens}; the window resets in ${formatResetDuration(resetMs)}.`,
    {
      hint: `Retrying after Retry-After will succeed; a smaller max_tokens needs less. ${raiseHint(ref, 'tpm')}`,
      headers: { ...retryHeaders(resetMs), ...windowHeaders('tokens', { limit, remaining: limit - used, resetMs }) },
    },
  );
}

/** A request larger than the whole limit can never pass: say so, and tell the SDK not to retry. */
export function tokenDemandTooLarge(ref: ScopeRef, limit: number, demand: TokenDemand, windowMs: number): GatewayError {
  const output = demand.maxOutputTokens > 0 ? ` (about ${demand.promptTokens} prompt tokens + ${demand.maxOutputTokens} requested output tokens)` : '';
  return new GatewayError(
    'token_rate_limit_exceeded',
    `This request needs about ${demand.tokens} tokens${output}, more than ${owner(ref, false)} whole limit of ${limit} tokens ${windowLabel(windowMs)}; retrying cannot help.`,
    {
      param: demand.maxOutputTokens > 0 ? 'max_tokens' : 'messages',
      hint: `Lower max_tokens or shorten the prompt. ${raiseHint(ref, 'tpm')}`,
      headers: { 'x-should-retry': 'false' },
    },
  );
}

export function formatUsd(usd: number): string {
  return `$${Number(usd.toFixed(6))}`;
}

export function budgetExhausted(ref: ScopeRef, budgetUsd: number, spentUsd: number, period: BudgetPeriod): GatewayError {
  const resetsAt = new Date(period.endsAt).toISOString();
  return new GatewayError(
    'budget_exceeded',
    `${owner(ref)} monthly budget of ${formatUsd(budgetUsd)} is used up (${formatUsd(spentUsd)} spent in ${period.id}); it resets at ${resetsAt}.`,
    {
      hint: `Retrying before ${resetsAt} cannot help. ${raiseHint(ref, 'budgetUsd')}`,
      headers: { 'x-should-retry': 'false' },
    },
  );
}

/**
 * Nothing is spent past the budget yet, but the calls in flight may take the rest: each holds the
 * most it can cost until it ends. Not final, so no `x-should-retry: false`: a call that ends
 * gives back what it did not use, and a retry then may pass.
 */
export function budgetHeld(ref: ScopeRef, budgetUsd: number, spentUsd: number, heldUsd: number, period: BudgetPeriod): GatewayError {
  return new GatewayError(
    'budget_exceeded',
    `${owner(ref)} monthly budget of ${formatUsd(budgetUsd)} has nothing left for this call now: ${formatUsd(spentUsd)} is spent in ${period.id}, and calls still running hold ${formatUsd(heldUsd)}, the most they can cost.`,
    {
      hint: `Retry when those calls have ended: each gives back what it did not use. A lower max_tokens holds less. ${raiseHint(ref, 'budgetUsd')}`,
    },
  );
}
