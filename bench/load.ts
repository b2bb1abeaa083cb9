import http from 'node:http';
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/**
 * autocannon for the load; latency percentiles from every response's own time (fractional ms).
 * With `rate`, at most that many requests per second in all; without, as fast as answers come.
 */
export async function runLoad(url: string, body: string, headers: Record<string, string>, connections: number, seconds: number, rate?: number): Promise<LoadResult> {
  const times: number[] = [];
  const instance = autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    connections,
    duration: seconds,
    ...(rate === undefined ? {} : { overallRate: rate }),
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Sequential streamed calls on one keep-alive connection: time to the first content chunk. */
export async function measureFirstChunk(url: string, body: string, headers: Record<string, string>, count: number): Promise<{ p50Ms: number; p99Ms: number; failures: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(`${url}/v1/chat/completions`);
  const times: number[] = [];
  let failures = 0;
  for (let i = 0; i < count; i += 1) {
    const started = process.hrtime.bigint();
    const firstChunk = await new Promise<number | null>((resolve) => {
      const request = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
        (response) => {
          let first: number | null = null;
          let seen = '';
          response.on('data', (data: Buffer) => {
            if (first === null) {
              seen += data.toString();
              // The first frame that carries content (the role frame does not count as a token).
              if (/"content":"[^"]/.test(seen)) first = Number(process.hrtime.bigint() - started) / 1e6;
            }
          });
          response.on('end', () => resolve(response.statusCode === 200 ? first : null));
        },
      );
      request.on('error', () => resolve(null));
      request.end(body);
    });
    if (firstChunk === null) failures += 1;
    else times.push(firstChunk);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), failures };
}
