import type { Test } from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAnthropicAdapter } from '../../../src/adapters/anthropic/anthropic-adapter.js';
import type { CallOptions, ProviderAdapter, StreamEvent } from '../../../src/adapters/types.js';
import { GatewayError } from '../../../src/errors.js';
import { startAnthropicFake } from '../../fake-upstreams/anthropic.js';
import type { FakeUpstream } from '../../fake-upstreams/fake-server.js';

/** Shared set-up for the Anthropic adapter tests: a fake upstream and an adapter pointed at it. */

export const TEST_API_KEY = 'sk-ant-test';

export function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return {
    signal: new AbortController().signal,
    requestId: 'req_test_1',
    upstreamModel: 'claude-upstream-model',
    dropParams: new Set(),
    ...overrides,
  };
}

export async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

export async function adapterWithFake(t: Test, settings: { defaultMaxTokens?: number } = {}): Promise<{ fake: FakeUpstream; adapter: ProviderAdapter }> {
  const fake = await startAnthropicFake({ apiKey: TEST_API_KEY });
  t.teardown(() => fake.close());
  const options = settings.defaultMaxTokens === undefined ? {} : { options: { defaultMaxTokens: settings.defaultMaxTokens } };
  return { fake, adapter: createAnthropicAdapter({ baseUrl: fake.baseUrl, apiKey: TEST_API_KEY, ...options }) };
}

/** Resolves with the rejection reason, failing the test if the promise fulfils instead. */
export async function rejection(t: Test, promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  t.fail('expected a rejection');
  return undefined;
}

/** The rejection, which must be a GatewayError. */
export async function gatewayRejection(t: Test, promise: Promise<unknown>): Promise<GatewayError> {
  const error = await rejection(t, promise);
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

/** True when the upstream saw the client hang up less than a second after `since`. */
export async function closedWithinOneSecond(clientClosed: Promise<number>, since: number): Promise<boolean> {
  const closedAt = await Promise.race([clientClosed, sleep(1000).then(() => undefined)]);
  return closedAt !== undefined && closedAt - since < 1000;
}
