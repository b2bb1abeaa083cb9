import type { FastifyRequest } from 'fastify';
import { budgetPeriod, spendExpiresAt, type BudgetPeriod } from './budget-period.js';
import type { CounterStore, Reservation } from './counter-store.js';
import { budgetExhausted, budgetHeld, formatUsd, requestLimitReached, tokenDemandTooLarge, tokenLimitReached, type LimitScope, type ScopeRef, type TokenDemand } from './limit-errors.js';
import { formatResetDuration, windowHeaders, type WindowState } from './limit-headers.js';
import type { RequestRateLimiter, RequestWindow } from './request-rate-limiter.js';
import { isLimitStoreUnavailable, type StoreHealth } from './store-health.js';
import type { CallDemand } from './token-demand.js';

/** One party's limits as the admin API names them (`null` = no limit). */
export interface LimitSettings {
  rpm: number | null;
  tpm: number | null;
  /** The key's `budgetUsd` or the tenant's `monthlyBudgetUsd`: USD per calendar month (UTC). */
  budgetUsd: number | null;
}

/** Who is calling, with the limits of the key and of its tenant, from the policy snapshot. */
export interface LimitSubject {
  keyId: string;
  tenantId: string;
  key: LimitSettings;
  tenant: LimitSettings;
}

/** What a live call holds between the check and its end, to settle tokens and spend. */
export interface LimitTicket {
  subject: LimitSubject;
  reservedTokens: number;
  tokenWindows: Array<{ counter: string; generation: string }>;
  /** Millionths of a USD held against each budget while the call runs (the most it can cost). */
  heldMicroUsd: number;
  spendHolds: Array<{ counter: string; generation: string }>;
  period: BudgetPeriod;
}

export interface LimitVerdict {
  outcome: 'pass' | 'skip';
  /** One line for the decision trace and the explainers: what is left of each limit. */
  detail: string;
  /** x-ratelimit-* for the response (empty when no window limit applies). */
  headers: Record<string, string>;
  /** Live calls only. */
  ticket: LimitTicket | null;
}

export interface LimitEngineOptions {
  store: CounterStore;
  health: StoreHealth;
  requests: RequestRateLimiter;
  windowMs: number;
  /** How long a call's hold on a budget lasts at most (default 10 minutes; see HOLD_MS). */
  holdMs?: number;
  now?: () => number;
}

/**
 * Budget holds are counted in whole millionths of a USD (the counters are integers), in a window
 * that opens with a party's first hold and drops every hold in it when it ends: a gateway that
 * dies mid-call cannot leave a budget held for the rest of the month. A call still running then
 * goes on without its hold (never without its spend).
 */
const HOLD_MS = 600_000;
const MICRO_USD = 1_000_000;

interface Party {
  ref: ScopeRef;
  settings: LimitSettings;
}

const counters = {
  requests: (ref: ScopeRef) => `rpm:${ref.scope}:${ref.id}`,
  tokens: (ref: ScopeRef) => `tpm:${ref.scope}:${ref.id}`,
  spend: (ref: ScopeRef, period: BudgetPeriod) => `spend:${ref.scope}:${ref.id}:${period.id}`,
  held: (ref: ScopeRef) => `held:${ref.scope}:${ref.id}`,
};

export const spendCounter = (scope: LimitScope, id: string, period: BudgetPeriod) => counters.spend({ scope, id }, period);

/** Of the parties that refuse, the one whose window ends last: retrying before it ends cannot help. */
function governing<T extends { resetMs: number }>(refusals: T[]): T | undefined {
  return refusals.reduce<T | undefined>((worst, next) => (worst === undefined || next.resetMs > worst.resetMs ? next : worst), undefined);
}

/** The tighter of two windows: the fewest left (the header a client paces itself by). */
function tighter(states: WindowState[]): WindowState | undefined {
  return states.reduce<WindowState | undefined>((best, next) => (best === undefined || next.remaining < best.remaining ? next : best), undefined);
}

/**
 * The `limit` step of the decision chain: requests and tokens per window and monthly spend, for
 * the key and for its tenant; the tighter applies and a refusal names whose limit it was.
 *
 * Everything is read first and nothing is counted until every limit has room, so a call refused
 * by one limit does not use up another. The reads go out together, and then the counts, so a
 * call with Redis limits costs two round trips before it goes upstream, not one per counter.
 * Only a race between replicas for the last unit can count a request that another window then
 * refuses; the tokens reserved for a refused call are returned.
 */
export class LimitEngine {
  readonly windowMs: number;
  private readonly holdMs: number;
  private readonly now: () => number;

  constructor(private readonly options: LimitEngineOptions) {
    this.windowMs = options.windowMs;
    this.holdMs = options.holdMs ?? HOLD_MS;
    this.now = options.now ?? Date.now;
  }

  /** Live: checks and counts (throws the refusal). Dry run: checks only, counts nothing. */
  async evaluate(request: FastifyRequest, subject: LimitSubject, demand: CallDemand, mode: 'live' | 'dry'): Promise<LimitVerdict> {
    try {
      return await this.evaluateWith(request, subject, demand, mode);
    } catch (error) {
      if (isLimitStoreUnavailable(error) && this.options.health.failMode === 'open') {
        return { outcome: 'skip', detail: 'not checked: the limit store is unreachable (GATEWAY_LIMITS_FAIL_MODE=open)', headers: {}, ticket: null };
      }
      throw error;
    }
  }

  /** Corrects the token reservation with what the call really used, releases its budget holds and adds its cost to the month's spend. */
  async settle(ticket: LimitTicket, usedTokens: number, costUsd: number | null): Promise<void> {
    const { store } = this.options;
    const delta = usedTokens - ticket.reservedTokens;
    const work: Array<Promise<void>> = ticket.tokenWindows.map((window) => store.adjust(window.counter, window.generation, delta));
    for (const hold of ticket.spendHolds) work.push(store.adjust(hold.counter, hold.generation, -ticket.heldMicroUsd));
    if (costUsd !== null && costUsd > 0) {
      const expiresAt = spendExpiresAt(ticket.period);
      for (const party of parties(ticket.subject)) work.push(store.addSpend(counters.spend(party.ref, ticket.period), costUsd, expiresAt));
    }
    // A store that is down has said so in the log already; settling is best effort.
    await Promise.allSettled(work);
  }

  private async evaluateWith(request: FastifyRequest, subject: LimitSubject, demandOf: CallDemand, mode: 'live' | 'dry'): Promise<LimitVerdict> {
    const { store, requests } = this.options;
    const all = parties(subject);
    const period = budgetPeriod(this.now());
    // Most keys carry no limit at all: nothing to read or count, only the spend to add at the end.
    if (!all.some(({ settings }) => hasLimit(settings))) {
      return { outcome: 'pass', detail: NO_LIMIT_APPLIES, headers: {}, ticket: mode === 'live' ? emptyTicket(subject, period) : null };
    }
    const details: string[] = [];
    const budgeted = all.filter((party) => party.settings.budgetUsd !== null);
    const requestLimited = all.filter((party) => party.settings.rpm !== null);
    const tokenLimited = all.filter((party) => party.settings.tpm !== null);

    // Every read at once: with Redis that is one round trip instead of one per counter.
    const [spent, held, requestWindows, tokenWindows] = await Promise.all([
      Promise.all(budgeted.map((party) => store.readSpend(counters.spend(party.ref, period)))),
      Promise.all(budgeted.map((party) => store.read(counters.held(party.ref)))),
      Promise.all(requestLimited.map(async (party) => ({ party, window: await requests.check(request, counters.requests(party.ref), party.settings.rpm as number, false) }))),
      Promise.all(tokenLimited.map((party) => store.read(counters.tokens(party.ref)))),
    ]);

    // Budgets: what was already spent this month, and what the calls still running may cost.
    // A call passes while something is left, so the call that crosses a budget completes.
    for (const [index, party] of budgeted.entries()) {
      const budget = party.settings.budgetUsd as number;
      const used = spent[index] ?? 0;
      const inFlight = (held[index]?.used ?? 0) / MICRO_USD;
      if (used >= budget) throw budgetExhausted(party.ref, budget, used, period);
      if (used + inFlight >= budget) throw budgetHeld(party.ref, budget, used, inFlight, period);
      const holding = inFlight > 0 ? ` (${formatUsd(inFlight)} of it held by calls in flight)` : '';
      details.push(`budget ${party.ref.scope}: ${formatUsd(budget - used)} of ${formatUsd(budget)} left${holding} until ${new Date(period.endsAt).toISOString()}`);
    }

    // Requests: a full window of either party refuses the call.
    const fullRequests = governing(requestWindows.filter(({ window }) => window.refused).map(({ party, window }) => ({ party, ...window })));
    if (fullRequests !== undefined) throw requestLimitReached(fullRequests.party.ref, fullRequests.limit, fullRequests.resetMs, this.windowMs);

    // Tokens: the estimate must fit in what is left of each window.
    const demand = tokenLimited.length > 0 ? demandOf.tokens() : null;
    const needed = demand?.tokens ?? 0;
    const tokenRefusals = [];
    for (const [index, party] of tokenLimited.entries()) {
      const limit = party.settings.tpm as number;
      if (demand !== null && needed > limit) throw tokenDemandTooLarge(party.ref, limit, demand, this.windowMs);
      const window = tokenWindows[index] ?? { used: 0, resetMs: 0 };
      if (window.used + needed > limit) tokenRefusals.push({ party, limit, ...window });
    }
    const fullTokens = governing(tokenRefusals);
    if (fullTokens !== undefined && demand !== null) {
      throw tokenLimitReached(fullTokens.party.ref, fullTokens.limit, fullTokens.used, demand, fullTokens.resetMs, this.windowMs);
    }

    if (mode === 'dry') {
      for (const { party, window } of requestWindows) details.push(windowDetail('requests', party.ref, window.limit, window.limit - window.used, window.resetMs));
      for (const [index, party] of tokenLimited.entries()) {
        const window = tokenWindows[index] ?? { used: 0, resetMs: 0 };
        details.push(windowDetail('tokens', party.ref, party.settings.tpm as number, (party.settings.tpm as number) - window.used, window.resetMs));
      }
      return { outcome: 'pass', detail: summary(details), headers: {}, ticket: null };
    }

    // Count, all at once. Every limit had room a moment ago; a replica may have taken the last unit since.
    const reserved = demand !== null && demand.tokens > 0 ? demand.tokens : 0;
    // A budgeted call holds the most it can cost until it ends, so calls running side by side
    // cannot all pass on the same spend. It passes while the holds before it leave something of
    // the budget; its own hold may go past the budget, as the call that crosses one completes.
    const hold = budgeted.length > 0 ? Math.ceil(demandOf.maxCostUsd() * MICRO_USD) : 0;
    const [requestCounts, reservations, holds] = await Promise.all([
      Promise.allSettled(requestLimited.map((party) => requests.check(request, counters.requests(party.ref), party.settings.rpm as number, true))),
      Promise.allSettled(reserved > 0 ? tokenLimited.map((party) => store.reserve(counters.tokens(party.ref), reserved, party.settings.tpm as number, this.windowMs)) : []),
      Promise.allSettled(
        hold > 0 ? budgeted.map((party, index) => store.reserve(counters.held(party.ref), hold, holdCeiling(party, spent[index] ?? 0, hold), this.holdMs)) : [],
      ),
    ]);
    const ticket: LimitTicket = { ...emptyTicket(subject, period), reservedTokens: reserved, heldMicroUsd: hold };
    for (const [index, party] of tokenLimited.entries()) {
      const outcome = reservations[index];
      if (outcome?.status === 'fulfilled' && outcome.value.granted) ticket.tokenWindows.push({ counter: counters.tokens(party.ref), generation: outcome.value.generation });
    }
    for (const [index, party] of budgeted.entries()) {
      const outcome = holds[index];
      if (outcome?.status === 'fulfilled' && outcome.value.granted) ticket.spendHolds.push({ counter: counters.held(party.ref), generation: outcome.value.generation });
    }
    const refusal =
      this.countingRefusal(requestLimited, requestCounts, tokenLimited, reservations, demand) ?? holdRefusal(budgeted, holds, spent, period);
    if (refusal !== undefined) {
      // The tokens reserved for a call that does not go ahead are given back.
      await this.settle(ticket, 0, null);
      throw refusal;
    }

    const requestStates: WindowState[] = [];
    for (const [index, party] of requestLimited.entries()) {
      const window = (requestCounts[index] as PromiseFulfilledResult<RequestWindow>).value;
      requestStates.push({ limit: window.limit, remaining: window.limit - window.used, resetMs: window.resetMs });
      details.push(windowDetail('requests', party.ref, window.limit, window.limit - window.used, window.resetMs));
    }
    const tokenStates: WindowState[] = [];
    for (const [index, party] of tokenLimited.entries()) {
      const limit = party.settings.tpm as number;
      const outcome = reservations[index];
      const window = outcome?.status === 'fulfilled' ? outcome.value : (tokenWindows[index] ?? { used: 0, resetMs: 0 });
      tokenStates.push({ limit, remaining: limit - window.used, resetMs: window.resetMs });
      if (outcome !== undefined) details.push(windowDetail('tokens', party.ref, limit, limit - window.used, window.resetMs));
    }
    const requestHeader = tighter(requestStates);
    const tokenHeader = tighter(tokenStates);
    return {
      outcome: 'pass',
      detail: summary(details),
      headers: {
        ...(requestHeader === undefined ? {} : windowHeaders('requests', requestHeader)),
        ...(tokenHeader === undefined ? {} : windowHeaders('tokens', tokenHeader)),
      },
      ticket,
    };
  }

  /** Why the counting batch refuses the call, if it does: a store failure first, then a full request window, then a full token window. */
  private countingRefusal(
    requestLimited: Party[],
    requestCounts: Array<PromiseSettledResult<RequestWindow>>,
    tokenLimited: Party[],
    reservations: Array<PromiseSettledResult<Reservation>>,
    demand: TokenDemand | null,
  ): unknown {
    const failed = [...requestCounts, ...reservations].find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) return failed.reason;
    for (const [index, party] of requestLimited.entries()) {
      const window = (requestCounts[index] as PromiseFulfilledResult<RequestWindow>).value;
      if (window.refused) return requestLimitReached(party.ref, window.limit, window.resetMs, this.windowMs);
    }
    for (const [index, party] of tokenLimited.entries()) {
      const outcome = reservations[index];
      if (outcome?.status === 'fulfilled' && !outcome.value.granted && demand !== null) {
        return tokenLimitReached(party.ref, party.settings.tpm as number, outcome.value.used, demand, outcome.value.resetMs, this.windowMs);
      }
    }
    return undefined;
  }
}

/**
 * Whether the caller's next request depends on this settlement: a token window to correct or a
 * budget to charge. Otherwise spend is still counted (a budget set later this month must see
 * it), but nobody needs to wait for it.
 */
export function settlementIsAwaited(ticket: LimitTicket): boolean {
  const { key, tenant } = ticket.subject;
  return ticket.tokenWindows.length > 0 || key.budgetUsd !== null || tenant.budgetUsd !== null;
}

function emptyTicket(subject: LimitSubject, period: BudgetPeriod): LimitTicket {
  return { subject, reservedTokens: 0, tokenWindows: [], heldMicroUsd: 0, spendHolds: [], period };
}

/**
 * The most a party's holds may add up to with this one: it is granted while the holds before it
 * leave something of the budget (`held < budget - spent`, in whole millionths).
 */
function holdCeiling(party: Party, spentUsd: number, hold: number): number {
  const left = Math.floor(((party.settings.budgetUsd as number) - spentUsd) * MICRO_USD);
  return left - 1 + hold;
}

/** A hold that failed (the store) or found the budget taken by calls running meanwhile. */
function holdRefusal(budgeted: Party[], holds: Array<PromiseSettledResult<Reservation>>, spent: number[], period: BudgetPeriod): unknown {
  const failed = holds.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) return failed.reason;
  for (const [index, party] of budgeted.entries()) {
    const outcome = holds[index];
    if (outcome?.status === 'fulfilled' && !outcome.value.granted) {
      return budgetHeld(party.ref, party.settings.budgetUsd as number, spent[index] ?? 0, outcome.value.used / MICRO_USD, period);
    }
  }
  return undefined;
}

function parties(subject: LimitSubject): Party[] {
  return [
    { ref: { scope: 'key', id: subject.keyId }, settings: subject.key },
    { ref: { scope: 'tenant', id: subject.tenantId }, settings: subject.tenant },
  ];
}

function windowDetail(family: 'requests' | 'tokens', ref: ScopeRef, limit: number, remaining: number, resetMs: number): string {
  const reset = resetMs > 0 ? `, resets in ${formatResetDuration(resetMs)}` : '';
  return `${family} ${ref.scope}: ${Math.max(0, remaining)} of ${limit} left${reset}`;
}

const NO_LIMIT_APPLIES = 'no rate, token or budget limit applies';

function hasLimit(settings: LimitSettings): boolean {
  return settings.rpm !== null || settings.tpm !== null || settings.budgetUsd !== null;
}

function summary(details: string[]): string {
  return details.length === 0 ? NO_LIMIT_APPLIES : details.join('; ');
}
