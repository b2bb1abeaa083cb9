import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import t from 'tap';
import { RedisCounterStore } from '../../src/limits/redis-counter-store.js';
import { engineHarness, subject } from './limit-engine-harness.js';
import { freePort } from './redis-test-helpers.js';

t.test('requests: N pass with the remaining count going down, the next is refused with when it resets', async (t) => {
  const h = await engineHarness(t);
  const who = subject({ rpm: 3 });
  const remaining: string[] = [];
  for (let call = 0; call < 3; call += 1) {
    const outcome = await h.evaluate(who);
    t.equal(outcome.status, 200);
    remaining.push(outcome.headers['x-ratelimit-remaining-requests'] ?? '');
    t.equal(outcome.headers['x-ratelimit-limit-requests'], '3');
  }
  t.same(remaining, ['2', '1', '0']);
  const refused = await h.evaluate(who);
  t.equal(refused.status, 429);
  t.equal(refused.error?.code, 'rate_limit_exceeded');
  t.match(refused.error?.message, /API key's \(key_a\) limit of 3 requests per minute is reached; it resets in \d/);
  t.match(refused.error?.hint, /PATCH \/admin\/keys\/key_a/);
  t.match(refused.headers['retry-after'], /^\d+$/);
  t.ok(Number(refused.headers['retry-after']) >= 59 && Number(refused.headers['retry-after']) <= 60);
  t.equal(refused.headers['x-ratelimit-remaining-requests'], '0');
});

t.test('the tighter of key and tenant applies and the refusal names it', async (t) => {
  const h = await engineHarness(t);
  const who = subject({ rpm: 5 }, { rpm: 2 });
  t.equal((await h.evaluate(who)).headers['x-ratelimit-remaining-requests'], '1', 'the header shows the tighter window (the tenant\'s)');
  t.equal((await h.evaluate(who)).status, 200);
  const refused = await h.evaluate(who);
  t.equal(refused.error?.code, 'rate_limit_exceeded');
  t.match(refused.error?.message, /^Your tenant's \(ten_a\) limit of 2 requests/);
  t.match(refused.error?.hint, /PATCH \/admin\/tenants\/ten_a \{"rpm"/);
  // The tenant's refusal did not use up the key: 2 of its 5 are counted, not 3.
  const dry = await h.evaluate(subject({ rpm: 5 }), {}, 'dry');
  t.match(dry.verdict?.detail, /requests key: 3 of 5 left/);

  const keyTighter = subject({ rpm: 1 }, { rpm: 10 }, { keyId: 'key_b', tenantId: 'ten_b' });
  t.equal((await h.evaluate(keyTighter)).status, 200);
  const byKey = await h.evaluate(keyTighter);
  t.match(byKey.error?.message, /^This API key's \(key_b\) limit of 1 requests/);
});

t.test('a dry run reports what is left and counts nothing', async (t) => {
  const h = await engineHarness(t);
  const who = subject({ rpm: 2, tpm: 100, budgetUsd: 5 }, { budgetUsd: 20 });
  const live = await h.evaluate(who, { promptTokens: 30 });
  await h.settle(live.verdict?.ticket, 40, 1.25);
  for (let run = 0; run < 3; run += 1) {
    const dry = await h.evaluate(who, {}, 'dry');
    t.equal(dry.status, 200);
    t.equal(dry.verdict?.ticket, null);
    t.same(dry.headers['x-ratelimit-remaining-requests'], undefined, 'a dry run sets no headers on the admin\'s answer');
    t.match(dry.verdict?.detail, /budget key: \$3\.75 of \$5 left until \d{4}-\d\d-01T00:00:00\.000Z/);
    t.match(dry.verdict?.detail, /budget tenant: \$18\.75 of \$20 left/);
    t.match(dry.verdict?.detail, /requests key: 1 of 2 left, resets in/);
    t.match(dry.verdict?.detail, /tokens key: 60 of 100 left/);
  }
  t.equal((await h.evaluate(who)).status, 200, 'the one request left is still there');
  const full = await h.evaluate(who, {}, 'dry');
  t.equal(full.error?.code, 'rate_limit_exceeded', 'a dry run on a full window says the call would be refused');
});

t.test('no limit set: the step passes and says so', async (t) => {
  const h = await engineHarness(t);
  const outcome = await h.evaluate(subject());
  t.equal(outcome.verdict?.detail, 'no rate, token or budget limit applies');
  t.same(outcome.verdict?.headers, {});
  t.equal((await h.evaluate(subject(), {}, 'dry')).verdict?.ticket, null, 'a dry run holds nothing');

  // The spend of an unlimited call still counts: a budget set later this month must see it.
  t.ok(outcome.verdict?.ticket, 'a live call gets a ticket to settle its spend');
  await h.settle(outcome.verdict?.ticket, 10, 0.8);
  const budgetSetLater = await h.evaluate(subject({ budgetUsd: 0.5 }));
  t.equal(budgetSetLater.error?.code, 'budget_exceeded');
  t.match(budgetSetLater.error?.message, /\$0\.8 spent/);
});

t.test('tokens: the estimate is reserved, then settled with the real usage', async (t) => {
  const h = await engineHarness(t);
  const who = subject({ tpm: 100 });
  const first = await h.evaluate(who, { promptTokens: 20, maxOutputTokens: 40 });
  t.equal(first.status, 200);
  t.equal(first.headers['x-ratelimit-remaining-tokens'], '40');
  t.equal(first.headers['x-ratelimit-limit-tokens'], '100');
  const second = await h.evaluate(who, { promptTokens: 20, maxOutputTokens: 40 });
  t.equal(second.status, 429, '60 more do not fit in the 40 left');
  t.equal(second.error?.code, 'token_rate_limit_exceeded');
  t.equal(second.error?.type, 'tokens');
  t.match(second.error?.message, /API key's \(key_a\) limit of 100 tokens per minute cannot take this request: 40 tokens are left and it needs about 60/);
  t.match(second.headers['retry-after'], /^\d+$/);
  t.equal(second.headers['x-ratelimit-remaining-tokens'], '40');
  // The first call really used 25: 75 are left and the same request now fits.
  await h.settle(first.verdict?.ticket, 25, null);
  const third = await h.evaluate(who, { promptTokens: 20, maxOutputTokens: 40 });
  t.equal(third.status, 200);
  t.equal(third.headers['x-ratelimit-remaining-tokens'], '15');
  // A failed call (no usage) gives its whole reservation back.
  await h.settle(third.verdict?.ticket, 0, null);
  t.match((await h.evaluate(who, {}, 'dry')).verdict?.detail, /tokens key: 75 of 100 left/);
});

t.test('a request larger than the whole token limit is refused as one retrying cannot help', async (t) => {
  const h = await engineHarness(t);
  const outcome = await h.evaluate(subject({}, { tpm: 50 }), { promptTokens: 10, maxOutputTokens: 100 });
  t.equal(outcome.status, 429);
  t.equal(outcome.error?.code, 'token_rate_limit_exceeded');
  t.equal(outcome.headers['x-should-retry'], 'false');
  t.match(outcome.error?.message, /needs about 110 tokens \(about 10 prompt tokens \+ 100 requested output tokens\), more than your tenant's \(ten_a\) whole limit of 50 tokens per minute; retrying cannot help/);
  t.match(outcome.error?.hint, /Lower max_tokens/);
});

t.test('a tenant token refusal gives back what the key had reserved', async (t) => {
  const h = await engineHarness(t);
  const who = subject({ tpm: 1_000 }, { tpm: 100 });
  t.equal((await h.evaluate(who, { promptTokens: 80 })).status, 200);
  const refused = await h.evaluate(who, { promptTokens: 30 });
  t.match(refused.error?.message, /^Your tenant's \(ten_a\) limit of 100 tokens/);
  t.match((await h.evaluate(subject({ tpm: 1_000 }), {}, 'dry')).verdict?.detail, /tokens key: 920 of 1000 left/, 'only the passed call is on the key');
});

t.test('budgets: the call that crosses completes, the next is refused, naming whose budget', async (t) => {
  const h = await engineHarness(t);
  const who = subject({ budgetUsd: 1 });
  const first = await h.evaluate(who);
  await h.settle(first.verdict?.ticket, 10, 0.75);
  const crossing = await h.evaluate(who);
  t.equal(crossing.status, 200, '$0.75 of $1 spent: still allowed');
  await h.settle(crossing.verdict?.ticket, 10, 0.75);
  const refused = await h.evaluate(who);
  t.equal(refused.status, 429);
  t.equal(refused.error?.code, 'budget_exceeded');
  t.equal(refused.error?.type, 'insufficient_quota');
  t.equal(refused.headers['x-should-retry'], 'false');
  t.match(refused.error?.message, /^This API key's \(key_a\) monthly budget of \$1 is used up \(\$1\.5 spent in \d{4}-\d\d\); it resets at \d{4}-\d\d-01T00:00:00\.000Z\./);

  const tenantBudget = subject({ budgetUsd: 100 }, { budgetUsd: 0.5 }, { keyId: 'key_c', tenantId: 'ten_c' });
  const spend = await h.evaluate(tenantBudget);
  await h.settle(spend.verdict?.ticket, 10, 0.5);
  const byTenant = await h.evaluate(subject({ budgetUsd: 100 }, { budgetUsd: 0.5 }, { keyId: 'key_d', tenantId: 'ten_c' }));
  t.match(byTenant.error?.message, /^Your tenant's \(ten_c\) monthly budget of \$0\.5 is used up/, 'another key of the tenant is refused too');
  t.match(byTenant.error?.hint, /monthlyBudgetUsd/);
});

t.test('budgets: calls in flight hold the most they can cost, so side by side they cannot all pass on the same spend', async (t) => {
  const h = await engineHarness(t);
  const who = subject({ budgetUsd: 1, tpm: 10_000 });
  const running = await Promise.all([0, 1, 2].map(() => h.evaluate(who, { promptTokens: 100, maxCostUsd: 0.6 })));
  t.same(running.map((outcome) => outcome.status).sort(), [200, 200, 429], 'the first holds $0.6 and leaves $0.4; the second may take the rest; the third finds nothing left');
  const refused = running.find((outcome) => outcome.status === 429);
  t.equal(refused?.error?.code, 'budget_exceeded');
  t.match(refused?.error?.message, /^This API key's \(key_a\) monthly budget of \$1 has nothing left for this call now: \$0 is spent in \d{4}-\d\d, and calls still running hold \$1\.2, the most they can cost\.$/);
  t.match(refused?.error?.hint, /^Retry when those calls have ended/);
  t.equal(refused?.headers['x-should-retry'], undefined, 'not final: a call that ends gives back what it did not use');
  t.equal((await h.evaluate(who, {}, 'dry')).status, 429, 'a dry run is refused too while the holds take the budget');
  t.match((await h.evaluate(subject({ tpm: 10_000 }), {}, 'dry')).verdict?.detail, /tokens key: 9800 of 10000 left/, 'the refused call gave its tokens back');

  const [first, second] = running.filter((outcome) => outcome.status === 200);
  await h.settle(first?.verdict?.ticket, 150, 0.1);
  t.match((await h.evaluate(who, {}, 'dry')).verdict?.detail, /budget key: \$0\.9 of \$1 left \(\$0\.6 of it held by calls in flight\)/, 'settling releases the hold and books the real cost');
  t.equal((await h.evaluate(who, { maxCostUsd: 0.6 })).status, 200, '$0.1 spent and $0.6 held: a call may take the rest');
  await h.settle(second?.verdict?.ticket, 150, 0.1);
  const unpriced = await h.evaluate(subject({ budgetUsd: 1 }, {}, { keyId: 'key_b', tenantId: 'ten_b' }));
  t.same(unpriced.verdict?.ticket?.spendHolds, [], 'a call whose cost cannot be foreseen holds nothing');
});

t.test('a budget hold ends with its window: a gateway that died mid-call does not keep the budget held', async (t) => {
  const h = await engineHarness(t, { holdMs: 150 });
  const who = subject({ budgetUsd: 1 });
  t.equal((await h.evaluate(who, { maxCostUsd: 1 })).status, 200, 'held, never settled');
  t.equal((await h.evaluate(who)).status, 429);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal((await h.evaluate(who)).status, 200);
});

t.test('requests and tokens come back when the window ends', async (t) => {
  const h = await engineHarness(t, { windowMs: 200 });
  const who = subject({ rpm: 1, tpm: 10 });
  t.equal((await h.evaluate(who, { promptTokens: 10 })).status, 200);
  const refused = await h.evaluate(who, { promptTokens: 10 });
  t.match(refused.error?.message, /per 200ms window/);
  await sleep(260);
  t.equal((await h.evaluate(who, { promptTokens: 10 })).status, 200);
});

/**
 * A client for a port nobody listens on. Its connection errors are expected here: the listener
 * keeps ioredis from printing each one as an "Unhandled error event" (the gateway's own client
 * reports them to the store health instead, see redis-connection.ts).
 */
async function unreachableRedis(): Promise<Redis> {
  const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  return redis;
}

t.test('a limit store that does not answer: fail open lets calls through, logged once', async (t) => {
  const redis = await unreachableRedis();
  t.teardown(() => redis.disconnect());
  const h = await engineHarness(t, { store: new RedisCounterStore(redis, 'x:'), failMode: 'open' });
  for (let call = 0; call < 5; call += 1) {
    const outcome = await h.evaluate(subject({ rpm: 1, tpm: 5, budgetUsd: 0.01 }), { promptTokens: 100 });
    t.equal(outcome.status, 200);
    t.equal(outcome.verdict?.outcome, 'skip');
    t.match(outcome.verdict?.detail, /limit store is unreachable \(GATEWAY_LIMITS_FAIL_MODE=open\)/);
  }
  t.equal(h.logLines.length, 1, 'one log line for the outage, not one per call');
  t.match(h.logLines[0], /^warn: limit store unreachable: calls pass/);
  t.equal((await h.evaluate(subject())).status, 200, 'a key without limits never touches the store');
});

t.test('a limit store that does not answer: fail closed refuses limited calls with 503', async (t) => {
  const redis = await unreachableRedis();
  t.teardown(() => redis.disconnect());
  const h = await engineHarness(t, { store: new RedisCounterStore(redis, 'x:'), failMode: 'closed' });
  const outcome = await h.evaluate(subject({ rpm: 10 }));
  t.equal(outcome.status, 503);
  t.equal(outcome.error?.code, 'limit_store_unavailable');
  t.match(outcome.error?.message, /GATEWAY_LIMITS_FAIL_MODE=closed/);
  t.equal((await h.evaluate(subject({ rpm: 10 }))).status, 503);
  t.equal(h.logLines.length, 1);
  t.match(h.logLines[0], /refused with 503/);
  t.equal((await h.evaluate(subject())).status, 200, 'a key without limits is not refused');
});
