import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { EnvError, parseEnv } from '../../src/config/env.js';
import { startGateway } from '../helpers/gateway.js';

t.test('under pressure calls get 503 with Retry-After; liveness and metrics still answer', async (t) => {
  // A 1-byte heap threshold: overloaded from the first sample on (under-pressure samples every second).
  const gw = await startGateway(t, { env: { GATEWAY_MAX_HEAP_USED_BYTES: '1' } });
  await sleep(1_300);

  const call = await fetch(`${gw.baseURL}/models`);
  t.equal(call.status, 503);
  t.equal(call.headers.get('retry-after'), '10');
  const body = (await call.json()) as { error: { code: string; layer: string; hint: string } };
  t.equal(body.error.code, 'service_unavailable');
  t.match(body.error.hint, /Retry after 10 seconds/);

  const ready = await fetch(`${gw.origin}/readyz`);
  t.equal(ready.status, 503, 'readiness fails so the load balancer backs off');
  t.equal(ready.headers.get('retry-after'), '10');
  t.equal((await fetch(`${gw.origin}/healthz`)).status, 200, 'liveness does not: a busy process must not be restarted');
  t.equal((await fetch(`${gw.origin}/metrics`)).status, 200, 'scrapes still answer');
});

t.test('thresholds of 0 turn the checks off', async (t) => {
  const gw = await startGateway(t, { env: { GATEWAY_MAX_HEAP_USED_BYTES: '0', GATEWAY_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  await sleep(1_100);
  t.equal((await fetch(`${gw.origin}/readyz`)).status, 200);
});

t.test('the thresholds are validated like every variable', async (t) => {
  t.throws(() => parseEnv({ GATEWAY_MAX_EVENT_LOOP_DELAY_MS: 'soon' }), EnvError);
  t.throws(() => parseEnv({ GATEWAY_MAX_HEAP_USED_BYTES: '-1' }), /GATEWAY_MAX_HEAP_USED_BYTES/);
  t.throws(() => parseEnv({ GATEWAY_METRICS_TOKEN: 'short' }), /GATEWAY_METRICS_TOKEN: expected at least 16 characters/);
  t.match(parseEnv({}), { GATEWAY_MAX_EVENT_LOOP_DELAY_MS: 1000, GATEWAY_MAX_RSS_BYTES: 0, GATEWAY_MAX_HEAP_USED_BYTES: undefined });
});
