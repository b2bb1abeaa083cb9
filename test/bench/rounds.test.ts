import t from 'tap';
import { combineFirstChunks, combineRounds, median, type ScenarioResult } from '../../bench/rounds.js';

const result = (subject: string, cpuMsPerRequest: number, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  subject,
  scenario: 'json',
  connections: 1,
  requests: 1000,
  requestsPerSecond: 1000 / cpuMsPerRequest,
  p50Ms: cpuMsPerRequest,
  p99Ms: cpuMsPerRequest * 4,
  non2xx: 0,
  errors: 0,
  cpuMsPerRequest,
  rssMbMax: 100,
  ...extra,
});

t.test('median: the middle value, the mean of the two middle ones, NaN ignored', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
  t.equal(median([NaN, 5]), 5);
  t.ok(Number.isNaN(median([])));
});

t.test('rounds combine per subject: medians, summed failures, peak RSS, the CPU range kept', async (t) => {
  const combined = combineRounds([
    result('gateway', 1.0, { rssMbMax: 300 }),
    result('null-proxy', 0.3),
    result('gateway', 1.6, { non2xx: 2, rssMbMax: 350 }),
    result('null-proxy', 0.2),
    result('gateway', 1.1, { errors: 1, rssMbMax: 320 }),
    result('null-proxy', 0.25),
  ]);
  t.equal(combined.length, 2);
  const gateway = combined.find((r) => r.subject === 'gateway') as ScenarioResult;
  t.equal(gateway.cpuMsPerRequest, 1.1, 'the slow round does not move the median');
  t.same(gateway.cpuMsPerRequestRange, [1.0, 1.6]);
  t.equal(gateway.p50Ms, 1.1);
  t.equal(gateway.requests, 3000);
  t.equal(gateway.non2xx, 2);
  t.equal(gateway.errors, 1);
  t.equal(gateway.rssMbMax, 350);
  t.equal(gateway.rounds, 3);
  t.equal((combined.find((r) => r.subject === 'null-proxy') as ScenarioResult).cpuMsPerRequest, 0.25);
});

t.test('a single round is reported as measured', async (t) => {
  const one = result('gateway', 1.2);
  t.same(combineRounds([one]), [one]);
});

t.test('first-chunk rounds: median percentiles, failures add up', async (t) => {
  t.same(combineFirstChunks([{ p50Ms: 1, p99Ms: 5, failures: 0 }, { p50Ms: 3, p99Ms: 9, failures: 1 }, { p50Ms: 2, p99Ms: 6, failures: 0 }]), { p50Ms: 2, p99Ms: 6, failures: 1 });
});
