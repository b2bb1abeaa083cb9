import t from 'tap';
import { formatResetDuration, retryAfterSeconds, retryHeaders, windowHeaders } from '../../src/limits/limit-headers.js';
import { budgetPeriod } from '../../src/limits/budget-period.js';

t.test('reset durations read like OpenAI\'s', async (t) => {
  t.equal(formatResetDuration(0), '0ms');
  t.equal(formatResetDuration(850), '850ms');
  t.equal(formatResetDuration(1_000), '1s');
  t.equal(formatResetDuration(12_500), '12.5s');
  t.equal(formatResetDuration(59_999), '59.999s');
  t.equal(formatResetDuration(60_000), '1m0s');
  t.equal(formatResetDuration(360_000), '6m0s');
  t.equal(formatResetDuration(3_723_000), '1h2m3s');
});

t.test('Retry-After is whole seconds and never 0', async (t) => {
  t.equal(retryAfterSeconds(1), 1);
  t.equal(retryAfterSeconds(1_001), 2);
  t.same(retryHeaders(2_400), { 'retry-after': '3', 'retry-after-ms': '2400' });
});

t.test('the header families', async (t) => {
  t.same(windowHeaders('requests', { limit: 5, remaining: 4, resetMs: 30_000 }), {
    'x-ratelimit-limit-requests': '5',
    'x-ratelimit-remaining-requests': '4',
    'x-ratelimit-reset-requests': '30s',
  });
  t.equal(windowHeaders('tokens', { limit: 5, remaining: -3, resetMs: 0 })['x-ratelimit-remaining-tokens'], '0', 'never negative');
});

t.test('budget periods are UTC calendar months', async (t) => {
  t.same(budgetPeriod(Date.UTC(2025, 11, 31, 23, 59)), { id: '2025-12', startsAt: Date.UTC(2025, 11, 1), endsAt: Date.UTC(2026, 0, 1) });
  t.equal(budgetPeriod(Date.UTC(2026, 1, 1)).id, '2026-02');
});
