import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import type { CallLogRow } from '../../src/db/schema.js';
import { callLogs } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';
import { startGateway, type GatewayTestOptions, type RunningGateway } from '../helpers/gateway.js';
import { seedCaller, type SeededCaller } from '../helpers/seed-caller.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** Mock models for every call-log scenario, priced so costs can be checked. */
export const callLogConfig = `
providers:
  - name: local-mock
    kind: mock
  - name: slow-mock
    kind: mock
    options: { chunkDelayMs: 40 }
  - name: nowhere
    kind: openai-compatible
    baseUrl: http://127.0.0.1:1/v1
    apiKey: not-used-the-port-is-closed
models:
  - name: mock-chat
    type: chat
    deployments: [{ provider: local-mock, model: mock-1 }]
    pricing: { input: 1, output: 2, cachedInput: 0.5 }
  - name: slow-chat
    type: chat
    deployments: [{ provider: slow-mock, model: mock-slow }]
    pricing: { input: 1, output: 2 }
  - name: unreachable-chat
    type: chat
    deployments: [{ provider: nowhere, model: gpt-4o-mini }]
  - name: mock-embed
    type: embedding
    deployments: [{ provider: local-mock, model: mock-embed-1 }]
`;

export interface LoggedGateway {
  gw: RunningGateway;
  app: FastifyInstance;
  baseURL: string;
  /** An allowed caller of every model of `callLogConfig`. */
  caller: SeededCaller;
  /** An SDK client with the seeded caller's key. */
  sdk: OpenAI;
  client(apiKey?: string): OpenAI;
  /** Whether the decision chain guards /v1 in this build (then identity fields are filled). */
  chainActive: boolean;
  /**
   * The row(s) of a request id, once written. Polls briefly: a call the client abandoned ends
   * when the server notices the closed connection, a moment after the client returned.
   */
  rowsOf(requestId: string): Promise<CallLogRow[]>;
}

export async function startLoggedGateway(t: Teardown, options: GatewayTestOptions = {}): Promise<LoggedGateway> {
  const gw = await startGateway(t, { config: callLogConfig, ...options });
  const app: FastifyInstance = gw.app;
  const caller = seedCaller(app.db, ['mock-chat', 'slow-chat', 'unreachable-chat', 'mock-embed']);
  app.stateChanged();
  return {
    gw,
    app,
    baseURL: gw.baseURL,
    caller,
    sdk: gw.client(caller.key),
    client: (apiKey) => gw.client(apiKey),
    chainActive: app.hasDecorator('accessPolicy'),
    async rowsOf(requestId) {
      // Generous: on a loaded machine a fresh gateway's writer thread takes seconds to start
      // (2.5-3.4 s seen with four test files and a busy loop on two cores); found rows return at once.
      const deadline = Date.now() + 10_000;
      for (;;) {
        await app.callLog.drain();
        const rows = app.db.select().from(callLogs).where(eq(callLogs.requestId, requestId)).all();
        if (rows.length > 0 || Date.now() > deadline) return rows;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** Per-request SDK options carrying our own request id, so the test can find the row. */
export const withRequestId = (requestId: string, signal?: AbortSignal) => ({ headers: { 'x-request-id': requestId }, ...(signal === undefined ? {} : { signal }) });
