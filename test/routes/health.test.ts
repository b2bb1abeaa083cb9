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
