import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { buildApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { SchemaCompilers } from '../../src/plugins/validation.js';
import { seedAllowedCaller, type AllowedCaller } from './seed-access.js';

// The SDKs read these; a developer's shell must not redirect the tests.
for (const name of ['OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_PROFILE', 'OPENAI_API_KEY']) {
  delete process.env[name];
}

/**
 * One set of compiled route-schema validators for every gateway a test file starts: compiling
 * them was ~130 ms of each start. Production builds one gateway per process and compiles its own.
 */
export const sharedSchemaCompilers = new SchemaCompilers();

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface RunningGateway {
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The base URL an OpenAI client takes: origin + /v1 */
  baseURL: string;
  dataDir: string;
  /**
   * The secret of a key allowed to call every configured model (see `caller`). The caller is
   * seeded on first use of `apiKey`, `caller` or `client()` without a key, so a test of the admin
   * API that never calls /v1 starts with an empty world.
   */
  readonly apiKey: string;
  /** The caller behind `apiKey`: tenant, app, key, an auto service of every configured model, an approved subscription. */
  readonly caller: AllowedCaller;
  /** An openai SDK client pointed at the gateway (with `apiKey` unless given another), retries off so tests count requests exactly. */
  client(apiKey?: string): OpenAI;
  close(): Promise<void>;
}

export interface GatewayTestOptions {
  /** The gateway.config.yaml text; defaults to one mock provider with `mock-chat` and `mock-embed`. */
  config?: string;
  env?: Record<string, string>;
}

export const mockConfig = `
providers:
  - name: local-mock
    kind: mock
models:
  - name: mock-chat
    type: chat
    deployments: [{ provider: local-mock, model: mock-1 }]
    pricing: { input: 1, output: 2 }
  - name: mock-embed
    type: embedding
    deployments: [{ provider: local-mock, model: mock-embed-1 }]
`;

/** Starts the real gateway on a free loopback port with its own data dir; torn down with the test. */
/** A gateway.config.yaml with one chat model, `model`, on a mock provider that answers `reply` a chunk every `chunkDelayMs`. */
export function slowMockConfig(options: { chunkDelayMs: number; reply: string; model?: string }): string {
  return `
providers:
  - name: slow-mock
    kind: mock
    options: { chunkDelayMs: ${options.chunkDelayMs}, reply: "${options.reply}" }
models:
  - name: ${options.model ?? 'mock-chat'}
    type: chat
    deployments: [{ provider: slow-mock, model: mock-1 }]
`;
}

export async function startGateway(t: Teardown, options: GatewayTestOptions = {}): Promise<RunningGateway> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-test-'));
  const configFile = path.join(dataDir, 'gateway.config.yaml');
  writeFileSync(configFile, options.config ?? mockConfig);
  const env = parseEnv({
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_CONFIG: configFile,
    GATEWAY_SECRET_KEY: 'a'.repeat(64),
    LOG_LEVEL: 'silent',
    // Test machines run many gateways on two cores: event-loop shedding is tested on its own (test/plugins/overload.test.ts).
    GATEWAY_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...options.env,
  });
  const app = await buildApp({ env, logger: false, schemaCompilers: sharedSchemaCompilers });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // An aborted SDK stream leaves a fresh keep-alive socket that never sends a request; Node does
    // not count it as idle, so close() would wait for the headers timeout. Tests cut it.
    const cut = setTimeout(() => app.server.closeAllConnections(), 1000);
    await app.close();
    clearTimeout(cut);
    rmSync(dataDir, { recursive: true, force: true });
  };
  t.teardown(close);
  let seeded: AllowedCaller | undefined;
  const caller = (): AllowedCaller => {
    if (seeded === undefined) {
      // Straight into the database, then the policy snapshot is rebuilt, as after any admin write.
      seeded = seedAllowedCaller(app.db);
      app.stateChanged();
    }
    return seeded;
  };
  return {
    app,
    origin,
    baseURL: `${origin}/v1`,
    dataDir,
    get apiKey() {
      return caller().key;
    },
    get caller() {
      return caller();
    },
    client: (apiKey = caller().key) => new OpenAI({ apiKey, baseURL: `${origin}/v1`, maxRetries: 0, timeout: 20_000 }),
    close,
  };
}
