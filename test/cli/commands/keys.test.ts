import t from 'tap';
import { hashApiKey } from '../../../src/access/api-key-secret.js';
import { apiKeys } from '../../../src/db/schema.js';
import { platformAdmin, startAdminGateway, TEST_ADMIN_PASSWORD } from '../../helpers/admin.js';
import { runCli } from '../../helpers/child-gateway.js';

// Each CLI run is a child process that loads the sources through the TypeScript loader.
t.setTimeout(120_000);

t.test('keys create goes through the running gateway and shows the secret once', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenant = await api.post<{ id: string }>('/admin/tenants', { name: 'cli-live' });
  const consumer = await api.post<{ id: string }>('/admin/consumers', { tenantId: tenant.body.id, name: 'cli-app' });
  t.equal(consumer.status, 201, 'consumer created', { body: consumer.text });
  const env = { GATEWAY_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD };

  const created = await runCli(['keys', 'create', '--consumer', consumer.body.id, '--name', 'from-cli', '--url', gw.origin], env);
  t.equal(created.code, 0, 'exits 0', { stderr: created.stderr });
  const secret = /^(gw-\S+)$/m.exec(created.stdout)?.[1];
  t.ok(secret, 'the secret is printed on a line of its own');
  const row = gw.app.db.select().from(apiKeys).all().find((key) => key.hash === hashApiKey(secret ?? ''));
  t.match(row, { consumerId: consumer.body.id, name: 'from-cli' }, 'the gateway stored it (by hash)');

  const asJson = await runCli(['keys', 'create', '--consumer', consumer.body.id, '--json', '--url', gw.origin], env);
  t.match(JSON.parse(asJson.stdout), { key: /^gw-/ });

  const wrongPassword = await runCli(['keys', 'create', '--consumer', consumer.body.id, '--url', gw.origin], { GATEWAY_ADMIN_PASSWORD: 'not-the-password-000' });
  t.equal(wrongPassword.code, 1);
  t.match(wrongPassword.stderr, /POST \/admin\/auth\/token failed: 401 invalid_credentials/);

  const unknownConsumer = await runCli(['keys', 'create', '--consumer', 'con_nope', '--url', gw.origin], env);
  t.equal(unknownConsumer.code, 1);
  t.match(unknownConsumer.stderr, /404 resource_not_found/);

  const noPassword = await runCli(['keys', 'create', '--consumer', consumer.body.id, '--url', gw.origin]);
  t.equal(noPassword.code, 2);
  t.match(noPassword.stderr, /No admin password: set GATEWAY_ADMIN_PASSWORD/);

  const noConsumer = await runCli(['keys', 'create', '--url', gw.origin], env);
  t.equal(noConsumer.code, 2);
  t.match(noConsumer.stderr, /needs --consumer/);
});

t.test('a live command with no gateway says how to start one', async (t) => {
  const down = await runCli(['subscriptions', 'list', '--url', 'http://127.0.0.1:9'], { GATEWAY_ADMIN_PASSWORD: 'whatever-password-1' });
  t.equal(down.code, 1);
  t.match(down.stderr, /No gateway answers at http:\/\/127\.0\.0\.1:9 .*Start it \(\.\/quick-start\.sh or npm start\), or pass --url/);
});
