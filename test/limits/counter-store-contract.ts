import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';
import type { CounterStore } from '../../src/limits/counter-store.js';

/**
 * The behaviour every counter store must have, run against the memory store and a real Redis.
 * Windows are short real time spans (no fake clock: Redis keeps its own time).
 */
export function counterStoreContract(t: Test, makeStore: (t: Test) => Promise<CounterStore>): void {
  t.test('reserve adds while the amount fits and refuses without adding when it does not', async (t) => {
    const store = await makeStore(t);
    const first = await store.reserve('c', 3, 5, 10_000);
    t.match(first, { granted: true, used: 3 });
    t.ok(first.resetMs > 9_000 && first.resetMs <= 10_000, 'the window opened with the first use');
    t.match(await store.reserve('c', 2, 5, 10_000), { granted: true, used: 5, generation: first.generation });
    const refused = await store.reserve('c', 1, 5, 10_000);
    t.match(refused, { granted: false, used: 5, generation: '' });
    t.ok(refused.resetMs > 0, 'a refusal says when the window ends');
    t.match(await store.read('c'), { used: 5 }, 'the refusal added nothing');
    t.same(await store.read('other'), { used: 0, resetMs: 0 }, 'an unused counter is empty and has no window');
  });

  t.test('a window ends after its length and the next use opens a new generation', async (t) => {
    const store = await makeStore(t);
    const first = await store.reserve('w', 2, 2, 150);
    t.equal((await store.reserve('w', 1, 2, 150)).granted, false);
    await sleep(220);
    t.same(await store.read('w'), { used: 0, resetMs: 0 });
    const next = await store.reserve('w', 1, 2, 150);
    t.match(next, { granted: true, used: 1 });
    t.not(next.generation, first.generation);
    // A settlement for the old window must not leak into the new one.
    await store.adjust('w', first.generation, -2);
    t.match(await store.read('w'), { used: 1 });
  });

  t.test('adjust corrects the reservation of its own window, never below zero', async (t) => {
    const store = await makeStore(t);
    const reservation = await store.reserve('a', 100, 1_000, 10_000);
    await store.adjust('a', reservation.generation, 37);
    t.match(await store.read('a'), { used: 137 });
    await store.adjust('a', reservation.generation, -500);
    t.match(await store.read('a'), { used: 0 });
    await store.adjust('missing', reservation.generation, 10);
    t.same(await store.read('missing'), { used: 0, resetMs: 0 }, 'adjusting a closed window opens nothing');
  });

  t.test('concurrent reservations never take more than the limit', async (t) => {
    const store = await makeStore(t);
    const results = await Promise.all(Array.from({ length: 40 }, () => store.reserve('race', 1, 25, 10_000)));
    t.equal(results.filter((result) => result.granted).length, 25);
    t.match(await store.read('race'), { used: 25 });
  });

  t.test('spend adds up, seeds only an absent counter, and expires', async (t) => {
    const store = await makeStore(t);
    const later = Date.now() + 60_000;
    t.equal(await store.readSpend('s'), 0);
    await store.addSpend('s', 0.25, later);
    await store.addSpend('s', 0.5, later);
    t.equal(await store.readSpend('s'), 0.75);
    await store.seedSpend('s', 99, later);
    t.equal(await store.readSpend('s'), 0.75, 'a seed never overwrites live spend');
    await store.seedSpend('seeded', 1.5, later);
    t.equal(await store.readSpend('seeded'), 1.5);
    await store.addSpend('short', 1, Date.now() + 100);
    await sleep(180);
    t.equal(await store.readSpend('short'), 0, 'spend of a past period is gone');
  });
}
