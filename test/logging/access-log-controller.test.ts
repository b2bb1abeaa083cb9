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
    logger: { level, stream },
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
