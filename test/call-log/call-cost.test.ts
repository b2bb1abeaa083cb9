import t from 'tap';
import { callCostUsd, roundUsd } from '../../src/call-log/call-cost.js';

const usage = (prompt: number, completion: number, cached?: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  ...(cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
});

t.test('prompt and completion tokens at the model prices per million', async (t) => {
  // 1000 × $3/M + 500 × $15/M = 0.003 + 0.0075
  t.equal(callCostUsd(usage(1000, 500), { input: 3, output: 15, cachedInput: null }), 0.0105);
  t.equal(callCostUsd(usage(1_000_000, 1_000_000), { input: 0.15, output: 0.6, cachedInput: null }), 0.75);
});

t.test('cached prompt tokens are priced at cachedInput when the model has one', async (t) => {
  // 800 uncached × $2.5/M + 200 cached × $1.25/M + 100 × $10/M = 0.002 + 0.00025 + 0.001
  t.equal(callCostUsd(usage(1000, 100, 200), { input: 2.5, output: 10, cachedInput: 1.25 }), 0.00325);
});

t.test('cached prompt tokens fall back to the input price', async (t) => {
  t.equal(callCostUsd(usage(1000, 100, 200), { input: 2.5, output: 10, cachedInput: null }), callCostUsd(usage(1000, 100), { input: 2.5, output: 10, cachedInput: null }));
  t.equal(callCostUsd(usage(1000, 100, 200), { input: 2.5, output: 10, cachedInput: null }), 0.0035);
});

t.test('a cached count above the prompt count cannot make the cost negative or larger', async (t) => {
  // All 100 prompt tokens cached at $1/M, never 500 of them.
  t.equal(callCostUsd(usage(100, 0, 500), { input: 4, output: 8, cachedInput: 1 }), 0.0001);
});

t.test('a free model costs 0; an unpriced model or a call without usage costs null (unknown)', async (t) => {
  t.equal(callCostUsd(usage(10, 10), { input: 0, output: 0, cachedInput: null }), 0);
  t.equal(callCostUsd(usage(10, 10), null), null);
  t.equal(callCostUsd(null, { input: 1, output: 1, cachedInput: null }), null);
});

t.test('results carry no binary-fraction noise', async (t) => {
  t.equal(roundUsd(0.1 + 0.2), 0.3);
  t.equal(callCostUsd(usage(100_000, 200_000), { input: 1, output: 1, cachedInput: null }), 0.3);
});
