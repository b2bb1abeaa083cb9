import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { platformAdmin, startAdminGateway, TEST_ADMIN_PASSWORD } from '../../helpers/admin.js';
import { runCli } from '../../helpers/child-gateway.js';

// Each CLI run is a child process that loads the sources through the TypeScript loader.
t.setTimeout(120_000);

t.test('demo and subscriptions, through the admin API', async (t) => {
  const gw = await startAdminGateway(t);
  const env = { GATEWAY_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD };
  const first = await runCli(['demo', '--json', '--url', gw.origin], env);
  t.equal(first.code, 0, 'exits 0', { stderr: first.stderr });
  const setup = JSON.parse(first.stdout) as { key: string; tenantId: string; consumerId: string; serviceId: string };
  const answer = await gw.client(setup.key).chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }] });
  t.ok(answer.choices[0]?.message.content, 'the demo key calls the mock model');

  const second = await runCli(['demo', '--json', '--url', gw.origin], env);
  const again = JSON.parse(second.stdout) as typeof setup;
  t.match(again, { tenantId: setup.tenantId, consumerId: setup.consumerId, serviceId: setup.serviceId }, 'a re-run reuses the demo resources');
  t.not(again.key, setup.key, 'with a new key');

  const pending = await runCli(['subscriptions', 'list', '--pending', '--url', gw.origin], env);
  t.equal(pending.code, 0, 'exits 0', { stderr: pending.stderr });
  t.match(pending.stdout, /No subscription is waiting for approval/);
  // A manual service: the request waits for a platform admin.
  const api = await platformAdmin(gw);
  const service = await api.post<{ id: string }>('/admin/services', { name: 'reviewed', approval: 'manual', models: ['mock-chat'] });
  const request = await api.post<{ id: string; status: string }>('/admin/subscriptions', { consumerId: setup.consumerId, serviceId: service.body.id });
  t.equal(request.body.status, 'pending');
  const waiting = await runCli(['subscriptions', 'list', '--pending', '--url', gw.origin], env);
  t.match(waiting.stdout, new RegExp(`${request.body.id}  pending   app ${setup.consumerId} -> service ${service.body.id}`), 'the pending request is listed');
  t.notMatch(waiting.stdout, /approved/, 'and only pending ones');
  const approve = await runCli(['subscriptions', 'approve', request.body.id, '--url', gw.origin], env);
  t.equal(approve.code, 0, 'exits 0', { stderr: approve.stderr });
  t.match(approve.stdout, new RegExp(`Approved ${request.body.id}`));
  t.match((await api.get(`/admin/subscriptions/${request.body.id}`)).body, { status: 'approved', decidedBy: 'admin' }, 'approved by the CLI user');
  const twice = await runCli(['subscriptions', 'approve', request.body.id, '--url', gw.origin], env);
  t.equal(twice.code, 1, 'approving twice fails with the API message');
  t.match(twice.stderr, /POST \/admin\/subscriptions\/.*\/approve failed: 409/);

  const all = await runCli(['subscriptions', 'list', '--json', '--url', gw.origin], env);
  const demoSubscriptions = (JSON.parse(all.stdout) as Array<{ consumerId: string }>).filter((item) => item.consumerId === setup.consumerId);
  t.match(
    demoSubscriptions.filter((item) => (item as { serviceId?: string }).serviceId === setup.serviceId),
    [{ status: 'approved' }],
    'one approved subscription of the demo app to the demo service',
  );
});

t.test('demo against a server that is not the gateway: exit 1 and a clear message, never "undefined"', async (t) => {
  // What a black-box probe found: any HTTP server answering 200 made the demo "succeed" with
  // "tenant undefined … New key undefined" (quick-start.sh then found no key in its answer).
  const answers = [
    // The first answer that could not be the gateway's is named: sign-in, a list, or a creation.
    { label: 'plain text', type: 'text/plain', body: 'ok', refusedAt: 'POST /admin/auth/token', missing: 'JSON answer' },
    { label: 'empty JSON objects', type: 'application/json', body: '{}', refusedAt: 'POST /admin/auth/token', missing: 'access_token' },
    { label: 'a token and no lists', type: 'application/json', body: '{"access_token":"t"}', refusedAt: 'GET /admin/tenants', missing: 'data list' },
    { label: 'a token and empty lists', type: 'application/json', body: '{"access_token":"t","data":[]}', refusedAt: 'POST /admin/tenants', missing: '"id"' },
  ];
  for (const answer of answers) {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': answer.type }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => server.close());
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = { GATEWAY_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD };
    for (const args of [['demo', '--url', origin], ['demo', '--json', '--url', origin]]) {
      const run = await runCli(args, env);
      t.equal(run.code, 1, `${answer.label}, ${args.join(' ')}: exits 1 (an operation failure)`, { stdout: run.stdout, stderr: run.stderr });
      t.equal(run.stdout, '', 'prints nothing on stdout (no half setup, no key)');
      t.notMatch(run.stderr, /undefined|unexpected failure/, 'no undefined values, no stack');
      t.match(run.stderr, new RegExp(`^${answer.refusedAt} at ${origin} answered .*without the ${answer.missing} a Pinpoint Gateway returns: .*Check --url \\(or PORT\\)`), 'says what answered and what to check');
    }
  }
});
