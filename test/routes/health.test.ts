import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startGateway } from '../helpers/gateway.js';

t.test('/readyz checks the database, the migrations, the catalog and draining', async (t) => {
  const gw = await startGateway(t);
  const ready = await gw.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ready', checks: { database: true, migrations: true, catalog: true, draining: false } });

  // A database one migration behind this build (an older file put back, say) is not ready.
  const latest = gw.app.sqlite.prepare('select hash, created_at from __drizzle_migrations order by created_at desc limit 1').get() as {
    hash: string;
    created_at: number;
  };
  gw.app.sqlite.prepare('delete from __drizzle_migrations where created_at = ?').run(latest.created_at);
  const behind = await gw.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(behind.statusCode, 503);
  t.match(behind.json(), { status: 'not_ready', checks: { database: true, migrations: false } });
  gw.app.sqlite.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run(latest.hash, latest.created_at);

  gw.app.draining = true;
  const draining = await gw.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(draining.statusCode, 503, 'a draining gateway is taken out of the load balancer');
  t.match(draining.json(), { status: 'not_ready', checks: { draining: true } });
  const live = await gw.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(live.statusCode, 200, 'but it is still alive');
});

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
