import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../../src/admin/passwords.js';
import { adminUsers } from '../../../src/db/schema.js';
import { adminApi, type AdminApi, type ErrorJson } from '../../helpers/admin.js';
import { seedCaller, type SeededCaller } from '../../helpers/seed-caller.js';
import { startGateway } from '../../helpers/gateway.js';
import { callLogConfig } from '../../call-log/logged-gateway.js';

interface LogRow {
  requestId: string;
  tenantId: string | null;
  requestedModel: string | null;
  outcome: string;
  errorCode: string | null;
  statusCode: number;
  decisionTrace: { layer: string; outcome: string; detail: string }[];
  [field: string]: unknown;
}
interface LogPage {
  data: LogRow[];
  nextCursor: string | null;
}
interface UsageLine {
  group: string | null;
  requests: number;
  ok: number;
  denied: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
  denials: Record<string, number>;
}

/** The row fields of DESIGN §7, plus sampledCount (sampled unauthenticated failures). */
const rowFields = [
  'requestId', 'createdAt', 'tenantId', 'consumerId', 'keyId', 'endpoint', 'requestedModel', 'provider', 'upstreamModel', 'stream',
  'statusCode', 'outcome', 'errorCode', 'layer', 'decisionTrace', 'clientIp', 'userAgent', 'latencyMs', 'upstreamLatencyMs', 'ttftMs',
  'promptTokens', 'completionTokens', 'cachedTokens', 'reasoningTokens', 'tokensEstimated', 'costUsd', 'attempts', 'sampledCount',
].sort();

async function call(app: FastifyInstance, caller: SeededCaller | null, requestId: string, model = 'mock-chat'): Promise<number> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { 'x-request-id': requestId, ...(caller === null ? {} : { authorization: `Bearer ${caller.key}` }) },
    payload: { model, messages: [{ role: 'user', content: `hello from ${requestId}` }] },
  });
  return response.statusCode;
}

async function adminAs(app: FastifyInstance, username: string, role: 'platform_admin' | 'tenant_admin', tenantId: string | null): Promise<AdminApi> {
  app.db.insert(adminUsers).values({ username, passwordHash: await hashPassword(`${username}-password-0123`), role, tenantId, createdAt: new Date() }).run();
  return adminApi(app, app.signAdminToken({ username, role, tenantId }).access_token);
}

t.test('the call-log admin API', async (t) => {
  const gw = await startGateway(t, { config: callLogConfig });
  const app = gw.app;
  const a = seedCaller(app.db, ['mock-chat']);
  const b = seedCaller(app.db, ['mock-chat']);
  app.stateChanged();
  const root = await adminAs(app, 'root', 'platform_admin', null);
  const alice = await adminAs(app, 'alice', 'tenant_admin', a.tenantId);

  t.equal(await call(app, a, 'req_a1'), 200);
  t.equal(await call(app, a, 'req_a2'), 200);
  t.equal(await call(app, a, 'req_a3', 'no-such-model'), 404);
  t.equal(await call(app, b, 'req_b1'), 200);
  t.equal(await call(app, b, 'req_b2'), 200);
  t.equal(await call(app, null, 'req_anonymous'), 401);
  await app.callLog.drain();

  t.test('a platform admin sees every row, newest first, with exactly the documented fields', async (t) => {
    const page = await root.get<LogPage>('/admin/logs');
    t.equal(page.status, 200);
    t.same(page.body.data.map((row) => row.requestId), ['req_anonymous', 'req_b2', 'req_b1', 'req_a3', 'req_a2', 'req_a1']);
    t.equal(page.body.nextCursor, null, 'one page holds them all');
    t.same(Object.keys(page.body.data[1] ?? {}).sort(), rowFields);
  });

  t.test('one row with its decision trace', async (t) => {
    const detail = await root.get<LogRow>('/admin/logs/req_a3');
    t.equal(detail.status, 200);
    t.match(detail.body, { requestId: 'req_a3', tenantId: a.tenantId, consumerId: a.consumerId, keyId: a.keyId, outcome: 'denied', errorCode: 'model_not_found', layer: 'model', statusCode: 404 });
    t.ok(detail.body.decisionTrace.some((step) => step.layer === 'auth' && step.outcome === 'pass'), 'the trace shows the key passed');
    t.ok(detail.body.decisionTrace.some((step) => step.layer === 'model' && step.outcome === 'deny'), 'and where it was denied');
    t.same(Object.keys(detail.body).sort(), [...rowFields, 'requestBody', 'responseBody'].sort());
    t.equal(detail.body.requestBody, null, 'bodies are not captured by default');

    const missing = await root.get<ErrorJson>('/admin/logs/req_never_made');
    t.equal(missing.status, 404);
    t.equal(missing.body.error.code, 'resource_not_found');
    t.match(missing.body.error.hint, /GET \/admin\/logs/);
  });

  t.test('a tenant admin sees only its own tenant’s rows', async (t) => {
    const page = await alice.get<LogPage>('/admin/logs');
    t.same(page.body.data.map((row) => row.requestId), ['req_a3', 'req_a2', 'req_a1'], 'not tenant B’s, not the unauthenticated call');
    t.equal((await alice.get('/admin/logs/req_a1')).status, 200);

    const foreignRow = await alice.get<ErrorJson>('/admin/logs/req_b1');
    t.equal(foreignRow.status, 404, 'another tenant’s row is not found, as if it did not exist');
    t.equal((await alice.get('/admin/logs/req_anonymous')).status, 404);

    const foreignFilter = await alice.get<ErrorJson>(`/admin/logs?tenantId=${b.tenantId}`);
    t.equal(foreignFilter.status, 404);
    t.equal(foreignFilter.body.error.param, 'tenantId');
    t.notMatch(foreignFilter.text, /req_b/);
    t.equal((await alice.get<LogPage>(`/admin/logs?tenantId=${a.tenantId}`)).body.data.length, 3);

    const usage = await alice.get<{ data: UsageLine[] }>('/admin/usage?groupBy=tenant');
    t.same(usage.body.data.map((line) => line.group), [a.tenantId]);
    t.equal((await alice.get(`/admin/usage?tenantId=${b.tenantId}`)).status, 404);
  });

  t.test('filters', async (t) => {
    const ids = async (query: string) => (await root.get<LogPage>(`/admin/logs?${query}`)).body.data.map((row) => row.requestId);
    t.same(await ids(`tenantId=${b.tenantId}`), ['req_b2', 'req_b1']);
    t.same(await ids(`consumerId=${a.consumerId}`), ['req_a3', 'req_a2', 'req_a1']);
    t.same(await ids(`keyId=${b.keyId}`), ['req_b2', 'req_b1']);
    t.same(await ids('model=no-such-model'), ['req_a3']);
    t.same(await ids('provider=local-mock'), ['req_b2', 'req_b1', 'req_a2', 'req_a1']);
    t.same(await ids('outcome=denied'), ['req_anonymous', 'req_a3']);
    t.same(await ids('code=missing_api_key'), ['req_anonymous']);
    t.same(await ids('status=404'), ['req_a3']);
    t.same(await ids('requestId=req_b1'), ['req_b1']);
    t.same(await ids(`outcome=ok&tenantId=${a.tenantId}`), ['req_a2', 'req_a1'], 'filters combine');
    const now = Date.now();
    t.same(await ids(`from=${new Date(now + 60_000).toISOString()}`), [], 'from is inclusive of later rows only');
    t.equal((await ids(`from=${new Date(now - 60_000).toISOString()}&to=${new Date(now + 60_000).toISOString()}`)).length, 6);
    t.same(await ids(`to=${new Date(now - 60_000).toISOString()}`), []);
  });

  t.test('bad parameters are a 400 naming the parameter', async (t) => {
    for (const [query, param] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=abc', 'cursor'],
      ['from=yesterday', 'from'],
      ['outcome=maybe', 'outcome'],
      ['tenant=ten_x', 'tenant'],
    ] as const) {
      const response = await root.get<ErrorJson>(`/admin/logs?${query}`);
      t.equal(response.status, 400, query);
      t.equal(response.body.error.param, param, `${query} names ${param}`);
    }
    t.equal((await root.get<ErrorJson>('/admin/usage?groupBy=week')).status, 400);
    const unencodedPlus = await root.get<ErrorJson>('/admin/logs?from=2026-12-01T00:00:00+01:00');
    t.match(unencodedPlus.body.error, { param: 'from', hint: /2026-12-01T00:00:00Z.*write \+ as %2B/ }, 'a date-time error shows the form expected');
    for (const path of ['/admin/logs', '/admin/usage']) {
      const reversed = await root.get<ErrorJson>(`${path}?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z`);
      t.equal(reversed.status, 400, `${path}: a range that ends before it starts`);
      t.match(reversed.body.error, { param: 'from', message: /'from' \(2030-01-01T00:00:00Z\) is after 'to'/ });
    }
    t.equal((await adminApi(app).get<ErrorJson>('/admin/logs')).status, 401, 'no admin token');
  });

  t.test('pages have no duplicate and no gap while rows are being written', async (t) => {
    const before = (await root.get<LogPage>('/admin/logs?limit=500')).body.data.map((row) => row.requestId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let written = 0;
    do {
      const query: string = cursor === null ? 'limit=2' : `limit=2&cursor=${cursor}`;
      const page = await root.get<LogPage>(`/admin/logs?${query}`);
      t.equal(page.status, 200);
      t.ok(page.body.data.length <= 2);
      seen.push(...page.body.data.map((row) => row.requestId));
      cursor = page.body.nextCursor;
      // New calls land between the pages (newer rows: they must not shift what follows).
      written += 1;
      t.equal(await call(app, a, `req_during_${written}`), 200);
      await app.callLog.drain();
    } while (cursor !== null);
    t.same(seen, before, 'exactly the rows that existed when paging began, in order, once each');
    t.equal(new Set(seen).size, seen.length, 'no duplicates');
    const after = (await root.get<LogPage>('/admin/logs?limit=500')).body.data;
    t.equal(after.length, before.length + written, 'the rows written meanwhile are there, on a fresh first page');
  });

  t.test('usage totals per tenant, model and day, with denials by code', async (t) => {
    const byTenant = await root.get<{ groupBy: string; data: UsageLine[] }>('/admin/usage?groupBy=tenant');
    t.equal(byTenant.status, 200);
    const lineOf = (group: string | null) => byTenant.body.data.find((line) => line.group === group);
    const rowsOf = async (tenantId: string) => (await root.get<LogPage>(`/admin/logs?limit=500&tenantId=${tenantId}`)).body.data;
    for (const caller of [a, b]) {
      const rows = await rowsOf(caller.tenantId);
      const line = lineOf(caller.tenantId);
      t.equal(line?.requests, rows.length, 'requests');
      t.equal(line?.promptTokens, rows.reduce((sum, row) => sum + ((row.promptTokens as number | null) ?? 0), 0), 'prompt tokens');
      t.equal(line?.totalTokens, (line?.promptTokens ?? 0) + (line?.completionTokens ?? 0));
      t.ok(Math.abs((line?.costUsd ?? 0) - rows.reduce((sum, row) => sum + ((row.costUsd as number | null) ?? 0), 0)) < 1e-9, 'cost');
    }
    t.same(lineOf(a.tenantId)?.denials, { model_not_found: 1 });
    t.same(lineOf(b.tenantId)?.denials, {});
    t.match(lineOf(null), { requests: 1, denied: 1, denials: { missing_api_key: 1 } }, 'unauthenticated calls have no tenant');

    const byModel = await root.get<{ data: UsageLine[] }>(`/admin/usage?groupBy=model&tenantId=${b.tenantId}`);
    t.same(byModel.body.data.map((line) => [line.group, line.requests]), [['mock-chat', 2]]);

    const today = new Date().toISOString().slice(0, 10);
    const byDay = await root.get<{ data: UsageLine[] }>('/admin/usage?groupBy=day');
    t.same(byDay.body.data.map((line) => line.group), [today]);
    const future = await root.get<{ data: UsageLine[] }>(`/admin/usage?from=${new Date(Date.now() + 60_000).toISOString()}`);
    t.same(future.body.data, []);
  });
});
