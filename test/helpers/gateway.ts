import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { buildApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';

// The SDKs read these; a developer's shell must not redirect the tests.
for (const name of ['OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_PROFILE', 'OPENAI_API_KEY']) {
  delete process.env[name];
}

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
  /** An openai SDK client pointed at the gateway, retries off so tests count requests exactly. */
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
export async function startGateway(t: Teardown, options: GatewayTestOptions = {}): Promise<RunningGateway> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-test-'));
  const configFile = path.join(dataDir, 'gateway.config.yaml');
  writeFileSync(configFile, options.config ?? mockConfig);
  const env = parseEnv({
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_CONFIG: configFile,
    GATEWAY_SECRET_KEY: 'a'.repeat(64),
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await buildApp({ env, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  t.teardown(close);
  return {
    app,
    origin,
    baseURL: `${origin}/v1`,
    dataDir,
    client: (apiKey = 'gw-test-key') => new OpenAI({ apiKey, baseURL: `${origin}/v1`, maxRetries: 0, timeout: 20_000 }),
    close,
  };
}
