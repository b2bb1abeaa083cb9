/**
 * The call-log benchmark (issue 5):
 *   node --import tsx bench/call-log.ts            full run (~1 minute)
 *   node --import tsx bench/call-log.ts --quick    short run, for a smoke check
 *   node --import tsx bench/call-log.ts --profile  also prints where the gateway's CPU time goes
 * 1. The writer alone: rows per second into SQLite (WAL, batched transactions, prepared
 *    statement), and what `enqueue` costs the request path per row.
 * 2. The gateway against the mock model with autocannon, the call log on and then off
 *    (GATEWAY_CALL_LOG=false): requests per second, latency, CPU per request, and whether
 *    every answered call got its row.
 * Writes bench/results/call-log.json.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { generateApiKey } from '../src/access/api-key-secret.js';
import { CallLogWriter } from '../src/call-log/call-log-writer.js';
import type { CallLogInsert } from '../src/call-log/call-log-row.js';
import { applyGatewayConfig } from '../src/config/apply-gateway-config.js';
import { loadGatewayConfig } from '../src/config/gateway-config.js';
import { openDatabase } from '../src/db/client.js';
import { apiKeys, consumers, serviceModels, services, subscriptions, tenants } from '../src/db/schema.js';
import { createSecretBox } from '../src/secrets/secret-box.js';
import { runLoad, type LoadResult } from './load.js';
import { summarizeProfile } from './profile-summary.js';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const WRITER_ROWS = quick ? 50_000 : 200_000;
const LOAD_SECONDS = quick ? 3 : 10;
const CONNECTIONS = 50;
// As in the writer thread (threaded-call-log-writer.ts).
const BATCH = 500;
const SECRET_KEY = 'c'.repeat(64);

function sampleRow(): CallLogInsert {
  return {
    // Random, like the gateway's own request ids: the request_id index sees random inserts.
    requestId: `req_${randomUUID().replace(/-/g, '')}`,
    createdAt: Date.now(),
    tenantId: 'ten_bench',
    consumerId: 'con_bench',
    keyId: 'key_bench',
    endpoint: 'chat',
    requestedModel: 'bench-model',
    provider: 'bench-mock',
    upstreamModel: 'mock-1',
    stream: 0,
    statusCode: 200,
    outcome: 'ok',
    errorCode: null,
    layer: null,
    decisionTrace: '[{"layer":"auth","outcome":"pass","detail":"key key_bench"},{"layer":"model","outcome":"pass","detail":"bench-model"}]',
    clientIp: '127.0.0.1',
    userAgent: 'bench',
    latencyMs: 1.234,
    upstreamLatencyMs: 0.5,
    ttftMs: null,
    promptTokens: 12,
    completionTokens: 34,
    cachedTokens: 0,
    reasoningTokens: 0,
    tokensEstimated: 0,
    costUsd: 0.000046,
    attempts: 1,
    sampledCount: 1,
    requestBody: null,
    responseBody: null,
  };
}

/** Rows per second the writer sustains, and the request path's cost per enqueued row. */
function benchWriter() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'call-log-bench-'));
  const database = openDatabase(dataDir);
  const log = pino({ level: 'warn' }) as unknown as FastifyBaseLogger;
  const writer = new CallLogWriter({ sqlite: database.sqlite, log, capacity: WRITER_ROWS, flushIntervalMs: 60_000, maxBatch: BATCH });
  const rows = Array.from({ length: WRITER_ROWS }, () => sampleRow());
  const enqueueStart = process.hrtime.bigint();
  for (const row of rows) writer.enqueue({ kind: 'insert', row });
  const enqueueNs = Number(process.hrtime.bigint() - enqueueStart) / WRITER_ROWS;
  const writeStart = process.hrtime.bigint();
  while (writer.stats.queueDepth > 0) writer.flush();
  const seconds = Number(process.hrtime.bigint() - writeStart) / 1e9;
  const written = writer.stats.writtenRows;
  database.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { rows: written, seconds: round(seconds, 3), rowsPerSecond: Math.round(written / seconds), enqueueNsPerRow: round(enqueueNs, 1), batchSize: BATCH };
}

/** A data dir with the mock model and one allowed caller. */
function prepareDataDir(): { dataDir: string; configFile: string; apiKey: string } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'call-log-bench-gw-'));
  const configFile = path.join(dataDir, 'gateway.config.yaml');
  writeFileSync(
    configFile,
    `providers:\n  - name: bench-mock\n    kind: mock\nmodels:\n  - name: bench-model\n    type: chat\n    deployments: [{ provider: bench-mock, model: mock-1 }]\n    pricing: { input: 1, output: 2 }\n`,
  );
  const { db, close } = openDatabase(dataDir);
  applyGatewayConfig(db, loadGatewayConfig(configFile), createSecretBox(Buffer.from(SECRET_KEY, 'hex')));
  const key = generateApiKey();
  const now = new Date();
  db.transaction((tx) => {
    tx.insert(tenants).values({ id: 'ten_bench', name: 'bench', createdAt: now, updatedAt: now }).run();
    tx.insert(consumers).values({ id: 'con_bench', tenantId: 'ten_bench', name: 'bench-app', createdAt: now, updatedAt: now }).run();
    tx.insert(apiKeys).values({ id: 'key_bench', consumerId: 'con_bench', name: 'bench', prefix: key.prefix, hash: key.hash, scopes: ['chat', 'embeddings', 'models'], createdAt: now, updatedAt: now }).run();
    tx.insert(services).values({ id: 'svc_bench', name: 'bench', approval: 'auto', createdAt: now, updatedAt: now }).run();
    tx.insert(serviceModels).values({ serviceId: 'svc_bench', modelName: 'bench-model' }).run();
    tx.insert(subscriptions).values({ id: 'sub_bench', consumerId: 'con_bench', serviceId: 'svc_bench', status: 'approved', requestedAt: now, decidedAt: now, decidedBy: 'bench' }).run();
  });
  close();
  return { dataDir, configFile, apiKey: key.secret };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** User + system CPU time of a process so far (Linux /proc; clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000;
}

async function benchGateway(callLog: boolean) {
  const { dataDir, configFile, apiKey } = prepareDataDir();
  const port = await freePort();
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${dataDir}`] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_CONFIG: configFile,
      GATEWAY_SECRET_KEY: SECRET_KEY,
      GATEWAY_CALL_LOG: String(callLog),
      // Per-request info lines would dominate both runs alike.
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries += 1) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (tries > 300) throw new Error('the gateway did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const body = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'How fast is the call log?' }] });
  const headers = { authorization: `Bearer ${apiKey}` };
  const warmUp = await runLoad(url, body, headers, CONNECTIONS, 2);
  const cpuBefore = cpuMsOf(child.pid as number);
  const load: LoadResult = await runLoad(url, body, headers, CONNECTIONS, LOAD_SECONDS);
  const cpuMs = cpuMsOf(child.pid as number) - cpuBefore;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const database = openDatabase(dataDir);
  const rows = (database.sqlite.prepare('select count(*) as n from call_logs').get() as { n: number }).n;
  database.close();
  if (profile) console.log(`call log ${callLog ? 'on' : 'off'}: ${summarizeProfile(dataDir, 25)}`);
  rmSync(dataDir, { recursive: true, force: true });
  const answered = warmUp.requests + load.requests;
  return {
    callLog,
    connections: CONNECTIONS,
    seconds: LOAD_SECONDS,
    requestsPerSecond: Math.round(load.requestsPerSecond),
    p50Ms: round(load.p50Ms, 2),
    p99Ms: round(load.p99Ms, 2),
    cpuMsPerRequest: round(cpuMs / Math.max(1, load.requests), 3),
    non2xx: load.non2xx + warmUp.non2xx,
    errors: load.errors + warmUp.errors,
    answered,
    rows,
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  // A busy machine skews every number: the load is recorded with them.
  const loadBefore = os.loadavg().map((value) => round(value, 2));
  const writer = benchWriter();
  console.log(`writer: ${writer.rowsPerSecond.toLocaleString('en')} rows/s (${writer.rows} rows in ${writer.seconds} s); enqueue ${writer.enqueueNsPerRow} ns/row`);
  const on = await benchGateway(true);
  const off = await benchGateway(false);
  for (const run of [on, off]) {
    console.log(
      `gateway, call log ${run.callLog ? 'on ' : 'off'}: ${run.requestsPerSecond} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, ${run.cpuMsPerRequest} CPU ms/req, rows ${run.rows}/${run.answered}`,
    );
  }
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg().map((value) => round(value, 2)) },
    quick,
    writer,
    gateway: { on, off, throughputCostPercent: round((1 - on.requestsPerSecond / off.requestsPerSecond) * 100, 1) },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/call-log.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log('written to bench/results/call-log.json');
}

await main();
