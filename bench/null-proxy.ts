import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { capHeapGrowth } from '../src/heap-growth.js';

/**
 * The floor: a minimal keep-alive forwarder in node:http. Whatever a Node gateway does, it
 * cannot be cheaper than reading a request, sending it upstream and piping the answer back.
 */
export async function startNullProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    const proxied = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', () => res.writeHead(502).end());
    req.pipe(proxied);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

// Run standalone in its own process so its CPU time can be measured apart: `node .bench-build/bench/null-proxy.js <target>`
// (built by `npm run bench`), or `node --import tsx bench/null-proxy.ts <target>`.
if (/null-proxy\.[jt]s$/.test(process.argv[1] ?? '') && process.argv[2]) {
  capHeapGrowth(); // as a deployed gateway runs
  const proxy = await startNullProxy(process.argv[2]);
  process.stdout.write(`${proxy.url}\n`);
}
