import Fastify from 'fastify';
import OpenAI from 'openai';
import type { AddressInfo } from 'node:net';
import { createProviderFetch } from '../src/adapters/shared/provider-fetch.js';
import { capHeapGrowth } from '../src/heap-growth.js';

/**
 * The second floor: the two pieces every call of this gateway must pass through, with nothing
 * of the gateway around them. A Fastify route parses the body and hands it to the official
 * `openai` SDK (on the gateway's own transport), then answers with the SDK's result, whole or
 * as SSE. No keys, no decision chain, no call log, no metrics, no request logging. The gap
 * between this and the null proxy is what the required stack costs; the gap between the gateway
 * and this is what the gateway's own work costs.
 */
export async function startSdkFloor(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const transport = createProviderFetch();
  const client = new OpenAI({ apiKey: 'bench', baseURL: `${target}/v1`, maxRetries: 0, fetch: transport.fetch, logLevel: 'off' });
  const app = Fastify({ logger: false });
  app.post('/v1/chat/completions', async (request, reply) => {
    const body = request.body as OpenAI.Chat.ChatCompletionCreateParams;
    if (body.stream !== true) return client.chat.completions.create({ ...body, stream: false });
    const stream = await client.chat.completions.create({ ...body, stream: true });
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for await (const chunk of stream) reply.raw.write(`data: ${JSON.stringify(chunk)}\n\n`);
    reply.raw.end('data: [DONE]\n\n');
    return reply;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await transport.close();
    },
  };
}

// Standalone in its own process so its CPU time can be measured apart: `node .bench-build/bench/sdk-floor.js <target>`
// (built by `npm run bench`), or `node --import tsx bench/sdk-floor.ts <target>`.
if (/sdk-floor\.[jt]s$/.test(process.argv[1] ?? '') && process.argv[2]) {
  // Under the same memory settings as a deployed gateway (serve() does the same), so that their RSS compare.
  capHeapGrowth();
  const floor = await startSdkFloor(process.argv[2]);
  process.stdout.write(`${floor.url}\n`);
}
