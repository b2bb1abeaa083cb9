import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { buildApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { adminApi, platformAdmin, startAdminGateway, TEST_ADMIN_PASSWORD, TEST_JWT_SECRET, type AdminApi } from '../helpers/admin.js';
import { mockConfig, sharedSchemaCompilers, type GatewayTestOptions, type RunningGateway } from '../helpers/gateway.js';
import { seedAllowedCaller, type AllowedCaller } from '../helpers/seed-access.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface LimitFields {
  rpm?: number | null;
  tpm?: number | null;
  budgetUsd?: number | null;
}

export interface TenantLimitFields {
  rpm?: number | null;
  tpm?: number | null;
  monthlyBudgetUsd?: number | null;
}

export interface LimitsGateway extends RunningGateway {
  admin: AdminApi;
  /** A fresh caller (its own tenant, app, key and approved subscription), so tests can share one gateway. */
  seedCaller(): AllowedCaller;
  /** PATCH /admin/keys/{id}; fails the test setup on a non-200. */
  setKeyLimits(keyId: string, fields: LimitFields): Promise<void>;
  /** PATCH /admin/tenants/{id}. */
  setTenantLimits(tenantId: string, fields: TenantLimitFields): Promise<void>;
  /** Another key of an app (same tenant, same subscription). */
  createKey(consumerId: string, fields?: LimitFields): Promise<{ id: string; key: string }>;
  /** An openai client with the SDK's default retries (unless given), counting the HTTP requests it sends. */
  countingClient(apiKey: string, maxRetries?: number): { client: OpenAI; sent: () => number };
}

async function expectOk(label: string, response: Promise<{ status: number; text: string }>): Promise<void> {
  const { status, text } = await response;
  if (status !== 200 && status !== 201) throw new Error(`${label} failed: ${status} ${text}`);
}

/** The real gateway (admin password and JWT secret known) with helpers to set limits through the admin API. */
export async function startLimitsGateway(t: Teardown, options: GatewayTestOptions = {}): Promise<LimitsGateway> {
  // Shedding on event-loop delay is off: these tests count exact numbers on a shared, busy machine.
  const gw = await startAdminGateway(t, { ...options, env: { GATEWAY_MAX_EVENT_LOOP_DELAY_MS: '0', ...options.env } });
  const admin = await platformAdmin(gw);
  return {
    ...gw,
    admin,
    seedCaller() {
      const caller = seedAllowedCaller(gw.app.db);
      gw.app.stateChanged();
      return caller;
    },
    setKeyLimits: (keyId, fields) => expectOk('PATCH key', admin.patch(`/admin/keys/${keyId}`, fields)),
    setTenantLimits: (tenantId, fields) => expectOk('PATCH tenant', admin.patch(`/admin/tenants/${tenantId}`, fields)),
    async createKey(consumerId, fields = {}) {
      const created = await admin.post<{ id: string; key: string }>(`/admin/consumers/${consumerId}/keys`, fields);
      if (created.status !== 201) throw new Error(`creating a key failed: ${created.status} ${created.text}`);
      return { id: created.body.id, key: created.body.key };
    },
    countingClient(apiKey, maxRetries?: number) {
      let sent = 0;
      const client = new OpenAI({
        apiKey,
        baseURL: gw.baseURL,
        timeout: 20_000,
        ...(maxRetries === undefined ? {} : { maxRetries }),
        fetch: (url, init) => {
          sent += 1;
          return fetch(url, init);
        },
      });
      return { client, sent: () => sent };
    },
  };
}

export interface GatewayOnDir {
  app: FastifyInstance;
  origin: string;
  baseURL: string;
  /** Log lines (pino JSON) when `captureLog` was asked for. */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * A gateway on a data dir the test controls, to restart one on the same database or to run two
 * replicas on one database. `startGateway` always makes a fresh dir.
 */
export async function startGatewayOnDir(t: Teardown, dataDir: string, env: Record<string, string> = {}, options: { captureLog?: boolean; config?: string } = {}): Promise<GatewayOnDir> {
  const configFile = path.join(dataDir, 'gateway.config.yaml');
  writeFileSync(configFile, options.config ?? mockConfig);
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  const app = await buildApp({
    env: parseEnv({
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_CONFIG: configFile,
      GATEWAY_SECRET_KEY: 'a'.repeat(64),
      GATEWAY_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      GATEWAY_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      GATEWAY_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    }),
    logger: options.captureLog === true ? { level: 'info', stream } : false,
    schemaCompilers: sharedSchemaCompilers,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  t.teardown(close);
  return { app, origin, baseURL: `${origin}/v1`, logLines, close };
}

export function tempDataDir(t: Teardown): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-limits-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

export { adminApi };
