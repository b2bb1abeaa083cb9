import { setImmediate as nextTurn } from 'node:timers/promises';
import t from 'tap';
import type { CounterStore, Reservation, WindowCount } from '../../src/limits/counter-store.js';
import { MemoryCounterStore } from '../../src/limits/memory-counter-store.js';
import { engineHarness, subject } from './limit-engine-harness.js';

/**
 * A memory store that answers each operation one event-loop turn later, as a network store
 * would, and records which operations were in flight together (a batch = one round trip's worth).
 * With `staleReads`, reads see empty windows: what a replica sees when another one filled the
 * window between its read and its count.
 */
class BatchRecordingStore implements CounterStore {
  readonly kind = 'memory' as const;
  readonly batches: string[][] = [];
  staleReads = false;
  private inFlight = 0;
  private readonly inner = new MemoryCounterStore();

  reserve(counter: string, amount: number, max: number, windowMs: number): Promise<Reservation> {
    return this.op(`reserve ${counter}`, () => this.inner.reserve(counter, amount, max, windowMs));
  }
  read(counter: string): Promise<WindowCount> {
    return this.op(`read ${counter}`, () => (this.staleReads ? Promise.resolve({ used: 0, resetMs: 0 }) : this.inner.read(counter)));
  }
  adjust(counter: string, generation: string, delta: number): Promise<void> {
    return this.op(`adjust ${counter}`, () => this.inner.adjust(counter, generation, delta));
  }
  addSpend(counter: string, usd: number, expiresAt: number): Promise<void> {
    return this.op(`addSpend ${counter}`, () => this.inner.addSpend(counter, usd, expiresAt));
  }
  seedSpend(counter: string, usd: number, expiresAt: number): Promise<void> {
    return this.inner.seedSpend(counter, usd, expiresAt);
  }
  readSpend(counter: string): Promise<number> {
    return this.op(`readSpend ${counter.replace(/:\d{4}-\d\d$/, '')}`, () => this.inner.readSpend(counter));
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private async op<T>(name: string, run: () => Promise<T>): Promise<T> {
    if (this.inFlight === 0) this.batches.push([]);
    this.batches.at(-1)?.push(name);
    this.inFlight += 1;
    try {
      await nextTurn();
      return await run();
    } finally {
      this.inFlight -= 1;
    }
  }
}

t.test('a limited call costs two round trips to the store: every read together, then every count together', async (t) => {
  const store = new BatchRecordingStore();
  const h = await engineHarness(t, { store });
  const who = subject({ rpm: 10, tpm: 1_000, budgetUsd: 5 }, { rpm: 100, tpm: 10_000, budgetUsd: 50 });
  const outcome = await h.evaluate(who, { promptTokens: 30, maxCostUsd: 0.01 });
  t.equal(outcome.status, 200);
  t.same(store.batches.map((batch) => [...batch].sort()), [
    [
      'read held:key:key_a',
      'read held:tenant:ten_a',
      'read rl:rpm:key:key_a',
      'read rl:rpm:tenant:ten_a',
      'read tpm:key:key_a',
      'read tpm:tenant:ten_a',
      'readSpend spend:key:key_a',
      'readSpend spend:tenant:ten_a',
    ],
    ['reserve held:key:key_a', 'reserve held:tenant:ten_a', 'reserve rl:rpm:key:key_a', 'reserve rl:rpm:tenant:ten_a', 'reserve tpm:key:key_a', 'reserve tpm:tenant:ten_a'],
  ]);
  t.equal(outcome.headers['x-ratelimit-remaining-requests'], '9', 'the tighter request window (the key\'s) after counting');
  t.equal(outcome.headers['x-ratelimit-remaining-tokens'], '970');
});

t.test('a request window filled by another replica between the read and the count: refused, and the tokens reserved with it given back', async (t) => {
  const store = new BatchRecordingStore();
  const h = await engineHarness(t, { store });
  const who = subject({ rpm: 1, tpm: 1_000 });
  t.equal((await h.evaluate(who, { promptTokens: 100 })).status, 200);
  store.staleReads = true; // the read still sees room: the last request was taken elsewhere meanwhile
  const refused = await h.evaluate(who, { promptTokens: 50 });
  t.equal(refused.status, 429);
  t.equal(refused.error?.code, 'rate_limit_exceeded');
  t.match(refused.error?.message, /^This API key's \(key_a\) limit of 1 requests per minute is reached/);
  t.same(store.batches.at(-1), ['adjust tpm:key:key_a'], 'the 50 tokens reserved in the same batch are returned');
  store.staleReads = false;
  t.match((await h.evaluate(subject({ tpm: 1_000 }), {}, 'dry')).verdict?.detail, /tokens key: 900 of 1000 left/, 'only the first call\'s tokens stay counted');
});

t.test('a token window filled by another replica between the read and the count: the refusal names it, the other reservation is returned', async (t) => {
  const store = new BatchRecordingStore();
  const h = await engineHarness(t, { store });
  const who = subject({ tpm: 1_000 }, { tpm: 100 });
  t.equal((await h.evaluate(who, { promptTokens: 80 })).status, 200);
  store.staleReads = true;
  const refused = await h.evaluate(who, { promptTokens: 30 });
  t.equal(refused.status, 429);
  t.equal(refused.error?.code, 'token_rate_limit_exceeded');
  t.match(refused.error?.message, /^Your tenant's \(ten_a\) limit of 100 tokens per minute cannot take this request: 20 tokens are left/);
  store.staleReads = false;
  t.match((await h.evaluate(subject({ tpm: 1_000 }), {}, 'dry')).verdict?.detail, /tokens key: 920 of 1000 left/, 'the key keeps only the passed call');
});
