import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { CallLogInsert } from '../../src/call-log/call-log-row.js';
import { openDatabase, type OpenDatabase } from '../../src/db/client.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

let counter = 0;

/** A complete, plausible row; `overrides` set what a test is about. */
export function sampleRow(overrides: Partial<CallLogInsert> = {}): CallLogInsert {
  counter += 1;
  return {
    requestId: `req_fixture_${process.pid}_${counter}`,
    createdAt: Date.now(),
    tenantId: null,
    consumerId: null,
    keyId: null,
    endpoint: 'chat',
    requestedModel: 'mock-chat',
    provider: 'local-mock',
    upstreamModel: 'mock-1',
    stream: 0,
    statusCode: 200,
    outcome: 'ok',
    errorCode: null,
    layer: null,
    decisionTrace: null,
    clientIp: '127.0.0.1',
    userAgent: 'fixture',
    latencyMs: 12.5,
    upstreamLatencyMs: 10,
    ttftMs: null,
    promptTokens: 10,
    completionTokens: 20,
    cachedTokens: 0,
    reasoningTokens: 0,
    tokensEstimated: 0,
    costUsd: 0.00005,
    attempts: 1,
    sampledCount: 1,
    requestBody: null,
    responseBody: null,
    ...overrides,
  };
}

/** A migrated database in a temp dir, closed and removed with the test. */
export function tempDatabase(t: Teardown): OpenDatabase {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'call-log-test-'));
  const database = openDatabase(dataDir);
  t.teardown(() => {
    database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return database;
}

export interface CapturedLog {
  logger: FastifyBaseLogger;
  lines: { level: number; msg: string; [key: string]: unknown }[];
}

/** A real pino logger writing into memory, to assert on warnings. */
export function capturedLogger(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger: logger as unknown as FastifyBaseLogger, lines };
}

export function countRows(database: OpenDatabase): number {
  return (database.sqlite.prepare('select count(*) as n from call_logs').get() as { n: number }).n;
}
