import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

async function gatewayLoggingAt(t: Test, level: 'info' | 'debug'): Promise<{ app: Awaited<ReturnType<typeof buildApp>>; lines: LogLine[] }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-access-log-'));
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
  const app = await buildApp({
    env: parseEnv({ GATEWAY_DATA_DIR: dataDir, GATEWAY_SECRET_KEY: 'd'.repeat(64), GATEWAY_ADMIN_PASSWORD: 'access-log-password-1', LOG_LEVEL: level }),
    logStream: stream,
  });
  t.teardown(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { app, lines };
}

t.test('at info, one access line per request with method, URL, status, time and the request id', async (t) => {
  const { app, lines } = await gatewayLoggingAt(t, 'info');
  const before = lines.length;
  const response = await app.inject({ method: 'GET', url: '/v1/models' });
  const requestLines = lines.slice(before).filter((line) => line.requestId === response.headers['x-request-id']);
  t.equal(requestLines.length, 1, 'exactly one line for the request');
  t.match(requestLines[0], { level: 30, msg: 'request completed', req: { method: 'GET', url: '/v1/models' }, res: { statusCode: 401 } });
  t.type(requestLines[0]?.responseTime, 'number');
});

t.test('at debug, the arrival line is there too', async (t) => {
  const { app, lines } = await gatewayLoggingAt(t, 'debug');
  const response = await app.inject({ method: 'GET', url: '/healthz' });
  const messages = lines.filter((line) => line.requestId === response.headers['x-request-id']).map((line) => line.msg);
  t.same(messages, ['incoming request', 'request completed']);
});

t.test('a key sent in the query string is refused and never reaches the log', async (t) => {
  const { app, lines } = await gatewayLoggingAt(t, 'info');
  const key = 'gw-' + 'Q'.repeat(40);
  for (const url of [`/v1/models?api_key=${key}`, `/v1/models?key=${key}&limit=2`, `/v1/models?k=${key}`]) {
    const response = await app.inject({ method: 'GET', url });
    t.equal(response.statusCode, 401, url.replace(key, 'KEY'));
    const line = lines.find((candidate) => candidate.requestId === response.headers['x-request-id']);
    t.ok(line?.req?.url?.startsWith('/v1/models?'), 'the line is there, with its path');
    t.notMatch(line?.req?.url ?? '', /Q{40}/, 'without the key');
  }
  const kept = await app.inject({ method: 'GET', url: '/v1/models?limit=2' });
  t.equal(lines.find((candidate) => candidate.requestId === kept.headers['x-request-id'])?.req?.url, '/v1/models?limit=2', 'other parameters stay readable');
  t.notMatch(JSON.stringify(lines), /Q{40}/, 'in no line at all');
});
