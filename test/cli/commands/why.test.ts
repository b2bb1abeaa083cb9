import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { openDatabase } from '../../../src/db/client.js';
import { callLogs } from '../../../src/db/schema.js';
import { startGateway } from '../../helpers/gateway.js';
import { runCli, tempDataDir } from '../../helpers/child-gateway.js';

// Each CLI run is a child process that loads the sources through the TypeScript loader.
t.setTimeout(120_000);

t.test('why explains a logged call in words, read-only', async (t) => {
  const dataDir = tempDataDir(t);
  const { db, close } = openDatabase(dataDir);
  db.insert(callLogs)
    .values({
      requestId: 'req_why_denied',
      createdAt: new Date('2025-01-02T03:04:05Z'),
      tenantId: 'ten_a',
      consumerId: 'con_a',
      keyId: 'key_a',
      endpoint: 'chat',
      requestedModel: 'frontier',
      stream: false,
      statusCode: 403,
      outcome: 'denied',
      errorCode: 'subscription_pending',
      layer: 'subscription',
      decisionTrace: [
        { layer: 'auth', outcome: 'pass', detail: 'key key_a (gw-abc123)' },
        { layer: 'model', outcome: 'pass', detail: "'frontier' is enabled" },
        { layer: 'subscription', outcome: 'deny', detail: "subscription sub_1 to service 'frontier-models' is pending approval" },
        { layer: 'limit', outcome: 'skip', detail: 'not reached' },
      ],
      clientIp: '10.0.0.7',
      latencyMs: 3.2,
      attempts: 0,
    })
    .run();
  close();
  const before = statSync(path.join(dataDir, 'gateway.sqlite')).mtimeMs;

  const why = await runCli(['why', 'req_why_denied', '--data-dir', dataDir]);
  t.equal(why.code, 0, 'exits 0', { stderr: why.stderr });
  t.match(why.stdout, /Outcome: denied by the gateway, HTTP 403, subscription_pending at the subscription layer/);
  t.match(why.stdout, /Caller: key key_a, app con_a, tenant ten_a from 10\.0\.0\.7/);
  const steps = why.stdout.split('\n').filter((line) => /^\s+\d+\./.test(line));
  t.same(
    steps.map((line) => line.trim()),
    [
      '1. ✓ auth passed: key key_a (gw-abc123)',
      "2. ✓ model passed: 'frontier' is enabled",
      "3. ✗ subscription DENIED: subscription sub_1 to service 'frontier-models' is pending approval",
      '4. - limit skipped: not reached',
    ],
    'every step, in order, in words',
  );

  const asJson = await runCli(['why', 'req_why_denied', '--json', '--data-dir', dataDir]);
  t.equal(asJson.code, 0);
  t.match(JSON.parse(asJson.stdout), { requestId: 'req_why_denied', errorCode: 'subscription_pending' });

  const unknown = await runCli(['why', 'req_nope', '--data-dir', dataDir]);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /No call with request id 'req_nope' is logged/);

  const noDatabase = await runCli(['why', 'req_x', '--data-dir', path.join(dataDir, 'missing')]);
  t.equal(noDatabase.code, 1);
  t.match(noDatabase.stderr, /There is no gateway database at/);
  t.notOk(existsSync(path.join(dataDir, 'missing')), 'inspection creates nothing');
  t.equal(statSync(path.join(dataDir, 'gateway.sqlite')).mtimeMs, before, 'and changes nothing');
});

t.test('why reads the row the running gateway logged', async (t) => {
  const gw = await startGateway(t);
  const denied = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
  });
  t.equal(denied.status, 404);
  const requestId = denied.headers.get('x-request-id') ?? '';
  await gw.app.callLog.drain();

  const why = await runCli(['why', requestId, '--data-dir', gw.dataDir]);
  t.equal(why.code, 0, 'exits 0', { stderr: why.stderr });
  t.match(why.stdout, new RegExp(`Request ${requestId} at .*: chat for model 'no-such-model'`));
  t.match(why.stdout, /Outcome: denied by the gateway, HTTP 404, model_not_found at the model layer/);
});
