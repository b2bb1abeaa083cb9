/**
 * The gateway benchmark (issue 7): direct → null proxy → SDK floor → gateway, side by side in one run.
 *   npm run bench                 full run (~3 minutes)
 *   npm run bench -- --quick      short run (~1 minute), for a smoke check
 *   npm run bench -- --profile    also CPU-profiles the gateway and prints where its time goes
 *   npm run bench -- --alloc-profile   also samples what the gateway allocates per JSON call, and by whom
 *   npm run bench -- --limited    the calling key and its tenant carry rpm, tpm and budgets (never reached), so the limit step counts
 *   npm run bench -- --redis      --limited, with the counters in Redis (REDIS_URL; --redis=redis://host:port for another one)
 *   npm run bench -- --gateway-flags="--max-semi-space-size=8"
 *                                 starts the gateway's node with these flags (the memory/CPU trade-off in the README)
 *   npm run bench -- --malloc-arena-max=8   MALLOC_ARENA_MAX (glibc) for the gateway, instead of the deployed 2
 *   npm run bench -- --rounds=3   runs the whole comparison 3 times and reports medians (see rounds.ts)
 *   npm run bench -- --out=bench/results/x.json   where to write the results (default latest.json, latest-limited.json,
 *                                 or latest-profiled.json for a profiled run)
 * Prints a table and writes bench/results/latest.json. Run it through `npm run bench`: it builds the
 * gateway (dist/) and the upstream and floors (.bench-build/) first.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import { measureFirstChunk, runLoad } from './load.js';
import { combineFirstChunks, combineRounds, type FirstChunkResult, type ScenarioResult } from './rounds.js';
import { startSubject, type Subject } from './subject-process.js';
import { prepareGateway } from './seed-gateway.js';
import { DEPLOYED_MALLOC_ARENA_MAX, DEPLOYED_MALLOC_MMAP_THRESHOLD, gatewayEnvironment, startGateway } from './gateway-subject.js';
import { summarizeProfile } from './profile-summary.js';
import { summarizeAllocations } from './alloc-profile-summary.js';
import { openRedisMeter, type RedisMeter } from './redis-meter.js';
import { HEAP_GROWING_PERCENT } from '../src/heap-growth.js';

const args = new Set(process.argv.slice(2));
/** The value of `--name=value` on the command line. */
const option = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const outFile = option('out');
const mallocArenaMax = option('malloc-arena-max');
const gatewayFlags = (option('gateway-flags') ?? '').split(' ').filter(Boolean);
const seconds = args.has('--quick') ? 3 : 8;
const rounds = Math.max(1, Math.floor(Number(option('rounds') ?? 1)) || 1);
const profile = args.has('--profile');
const redisUrl = args.has('--redis') ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : option('redis');
const limited = args.has('--limited') || redisUrl !== undefined;
const allocProfile = args.has('--alloc-profile');
const KEY_COUNT = 10_000;
const WARM_UP_SECONDS = 2;
const urlLine = (output: string) => /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
const tsx = ['--import', 'tsx'];
/** The upstream and the floors, compiled by `npm run bench` (tsconfig.bench.json). */
const BUILT = '.bench-build/bench';


async function measure(subject: Subject, scenario: string, body: string, headers: Record<string, string>, connections: number, redis?: RedisMeter): Promise<ScenarioResult> {
  await runLoad(subject.url, body, headers, connections, WARM_UP_SECONDS); // JIT, keep-alive pools
  let rssMbMax = subject.rssMb();
  const sampler = setInterval(() => (rssMbMax = Math.max(rssMbMax, subject.rssMb())), 200);
  const cpuBefore = subject.cpuMs();
  const redisCpuBefore = await redis?.cpuMs();
  const load = await runLoad(subject.url, body, headers, connections, seconds);
  const cpuMs = subject.cpuMs() - cpuBefore;
  const redisCpuMs = redisCpuBefore === undefined ? undefined : ((await redis?.cpuMs()) ?? NaN) - redisCpuBefore;
  clearInterval(sampler);
  const perRequest = (ms: number) => ms / Math.max(1, load.requests);
  return { subject: subject.name, scenario, connections, ...load, cpuMsPerRequest: perRequest(cpuMs), rssMbMax, ...(redisCpuMs === undefined ? {} : { redisCpuMsPerRequest: perRequest(redisCpuMs) }) };
}

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

async function main(): Promise<void> {
  // The floors run compiled (as the gateway does: tsx costs memory and CPU of its own) and, like
  // the gateway, with capped heap growth and the deployed glibc settings, so their RSS compare.
  const floorEnv = { ...process.env, MALLOC_ARENA_MAX: mallocArenaMax ?? DEPLOYED_MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_: DEPLOYED_MALLOC_MMAP_THRESHOLD };
  const upstream = await startSubject('upstream', process.execPath, [`${BUILT}/fake-upstream.js`, '20', '0'], process.env, urlLine);
  const nullProxy = await startSubject('null-proxy', process.execPath, [`${BUILT}/null-proxy.js`, upstream.url], floorEnv, urlLine);
  const sdkFloor = await startSubject('sdk-floor', process.execPath, [`${BUILT}/sdk-floor.js`, upstream.url], floorEnv, urlLine);
  const { dataDir, configFile, apiKey } = prepareGateway(upstream.url, KEY_COUNT, { limited });
  const redis = redisUrl === undefined ? undefined : await openRedisMeter(redisUrl);
  const gatewayEnv = gatewayEnvironment(dataDir, configFile, {
    ...(mallocArenaMax === undefined ? {} : { MALLOC_ARENA_MAX: mallocArenaMax }),
    // Fail closed: a Redis that stops answering shows up as refused calls, not as calls that
    // quietly went uncounted and cheaper.
    ...(redis === undefined ? {} : { REDIS_URL: redis.url, GATEWAY_LIMITS_REDIS_PREFIX: redis.prefix, GATEWAY_LIMITS_FAIL_MODE: 'closed' }),
    ...(allocProfile ? { BENCH_ALLOC_PROFILE_DIR: dataDir } : {}),
  });
  const gatewayArgs = [
    ...gatewayFlags,
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${dataDir}`] : []),
    ...(allocProfile ? [...tsx, '--import', './bench/alloc-profile-preload.ts'] : []),
    'dist/server.js',
  ];
  const gateway = await startGateway('gateway', gatewayArgs, gatewayEnv, dataDir);

  const auth = { authorization: `Bearer ${apiKey}` };
  const message = [{ role: 'user', content: 'Say hello.' }];
  const jsonBody = (model: string) => JSON.stringify({ model, messages: message });
  const streamBody = (model: string) => JSON.stringify({ model, messages: message, stream: true, stream_options: { include_usage: true } });
  const measured: ScenarioResult[] = [];
  const firstChunkRounds: Record<string, FirstChunkResult[]> = {};
  const firstChunkAfterLoadRounds: Record<string, FirstChunkResult[]> = {};
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) console.log(`round ${round} of ${rounds}`);
    for (const subject of [upstream, nullProxy, sdkFloor, gateway]) {
      const model = subject === gateway ? 'bench-model' : 'bench-upstream';
      // Time to first chunk on a warm but otherwise idle server, and again after the load below
      // (the gap between the two is the cost of catching up: GC, the call-log backlog). Warm means
      // the same warm-up as every load scenario: the streaming path runs JIT-compiled, as it does
      // on a gateway that has been serving for a while.
      await runLoad(subject.url, streamBody(model), auth, 1, WARM_UP_SECONDS);
      (firstChunkRounds[subject.name] ??= []).push(await measureFirstChunk(subject.url, streamBody(model), auth, 300));
      for (const connections of [1, 50]) {
        const meter = subject === gateway ? redis : undefined;
        measured.push(await measure(subject, 'json', jsonBody(model), auth, connections, meter));
        measured.push(await measure(subject, 'stream', streamBody(model), auth, connections, meter));
      }
      (firstChunkAfterLoadRounds[subject.name] ??= []).push(await measureFirstChunk(subject.url, streamBody(model), auth, 300));
    }
  }
  const results = combineRounds(measured);
  const combine = (perSubject: Record<string, FirstChunkResult[]>) => Object.fromEntries(Object.entries(perSubject).map(([name, list]) => [name, combineFirstChunks(list)]));
  const firstChunk = combine(firstChunkRounds);
  const firstChunkAfterLoad = combine(firstChunkAfterLoadRounds);

  // After the measured scenarios, so the sampling does not weigh on them.
  let allocations: string | undefined;
  if (allocProfile) {
    writeFileSync(path.join(dataDir, 'alloc.start'), '');
    await sleep(200);
    const load = await runLoad(gateway.url, jsonBody('bench-model'), auth, 50, seconds);
    writeFileSync(path.join(dataDir, 'alloc.stop'), '');
    const written = path.join(dataDir, 'alloc.heapprofile');
    const failure = path.join(dataDir, 'alloc.error');
    for (let waited = 0; !existsSync(written) && !existsSync(failure) && waited < 10_000; waited += 100) await sleep(100);
    if (existsSync(written)) allocations = summarizeAllocations(written, load.requests, 20);
    else allocations = `no allocation profile was written${existsSync(failure) ? `: ${readFileSync(failure, 'utf8')}` : ''}`;
  }

  await gateway.stop();
  const redisKeys = await redis?.countKeys();
  await redis?.close();
  await sdkFloor.stop();
  await nullProxy.stop();
  await upstream.stop();

  const row = (subject: string, scenario: string, connections: number) => results.find((r) => r.subject === subject && r.scenario === scenario && r.connections === connections) as ScenarioResult;
  const summary = {
    addedLatencyP50Ms: row('gateway', 'json', 1).p50Ms - row('upstream', 'json', 1).p50Ms,
    addedLatencyP99Ms: row('gateway', 'json', 1).p99Ms - row('upstream', 'json', 1).p99Ms,
    addedFirstChunkP50Ms: (firstChunk.gateway?.p50Ms ?? NaN) - (firstChunk.upstream?.p50Ms ?? NaN),
    cpuRatioVsNullProxy: row('gateway', 'json', 50).cpuMsPerRequest / row('null-proxy', 'json', 50).cpuMsPerRequest,
    cpuRatioVsNullProxyAt1Connection: row('gateway', 'json', 1).cpuMsPerRequest / row('null-proxy', 'json', 1).cpuMsPerRequest,
    // The split of that ratio: what the required stack (Fastify + the openai SDK) costs by itself,
    // and what the gateway's own work adds on top of it.
    sdkFloorCpuRatioVsNullProxy: row('sdk-floor', 'json', 50).cpuMsPerRequest / row('null-proxy', 'json', 50).cpuMsPerRequest,
    cpuRatioVsSdkFloor: row('gateway', 'json', 50).cpuMsPerRequest / row('sdk-floor', 'json', 50).cpuMsPerRequest,
    gatewayRssMbMax: Math.max(...results.filter((r) => r.subject === 'gateway').map((r) => r.rssMbMax)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    addedFirstChunkAfterLoadP50Ms: (firstChunkAfterLoad.gateway?.p50Ms ?? NaN) - (firstChunkAfterLoad.upstream?.p50Ms ?? NaN),
    errors: results.reduce((sum, r) => sum + r.errors, 0) + [...Object.values(firstChunk), ...Object.values(firstChunkAfterLoad)].reduce((sum, r) => sum + r.failures, 0),
    // A --redis run: the work the gateway hands to Redis, which the gateway's own CPU leaves out.
    ...(redis === undefined ? {} : { redisCpuMsPerRequestJson50: row('gateway', 'json', 50).redisCpuMsPerRequest ?? NaN }),
  };
  const targets = {
    cpuAtMost2_5xNullProxy: summary.cpuRatioVsNullProxy <= 2.5,
    addedP50AtMost0_5ms: summary.addedLatencyP50Ms <= 0.5,
    addedP99AtMost2ms: summary.addedLatencyP99Ms <= 2,
    addedFirstChunkAtMost1ms: summary.addedFirstChunkP50Ms <= 1,
    rssAtMost200Mb: summary.gatewayRssMbMax <= 200,
    zeroErrorsAndNon2xx: summary.non2xx === 0 && summary.errors === 0,
  };

  const gatewayProcess = { flags: gatewayFlags, mallocArenaMax: mallocArenaMax ?? DEPLOYED_MALLOC_ARENA_MAX, mallocMmapThreshold: DEPLOYED_MALLOC_MMAP_THRESHOLD };
  // Since 2026-12-07; earlier result files ran the floors under tsx with glibc's and V8's defaults.
  const floorsProcess = { compiled: true, heapGrowingPercent: HEAP_GROWING_PERCENT, mallocArenaMax: gatewayProcess.mallocArenaMax, mallocMmapThreshold: DEPLOYED_MALLOC_MMAP_THRESHOLD };
  console.log(`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; ${seconds}s per scenario${rounds > 1 ? `, ${rounds} rounds (medians; CPU per call also as lowest–highest)` : ''}; ${KEY_COUNT} keys in the snapshot${limited ? `; key and tenant limits on, counters ${redis === undefined ? 'in memory' : `in Redis (${redis.url})`}` : ''}`);
  console.log(`gateway node flags: ${gatewayFlags.join(' ') || '(none)'}; MALLOC_ARENA_MAX: ${gatewayProcess.mallocArenaMax}, MALLOC_MMAP_THRESHOLD_: ${DEPLOYED_MALLOC_MMAP_THRESHOLD}`);
  console.log(`null proxy and SDK floor: compiled, heap growth capped at ${HEAP_GROWING_PERCENT} % as the gateway's, MALLOC_ARENA_MAX: ${floorsProcess.mallocArenaMax}, MALLOC_MMAP_THRESHOLD_: ${DEPLOYED_MALLOC_MMAP_THRESHOLD}\n`);
  console.log(`subject     scenario conns    req/s   p50 ms   p99 ms  cpu ms/req  rss MB  non2xx errors${rounds > 1 ? '  cpu lowest–highest' : ''}`);
  for (const r of results) {
    const range = r.cpuMsPerRequestRange === undefined ? '' : `  ${fmt(r.cpuMsPerRequestRange[0], 3)}–${fmt(r.cpuMsPerRequestRange[1], 3)}`;
    console.log(
      `${r.subject.padEnd(11)} ${r.scenario.padEnd(8)} ${String(r.connections).padStart(5)} ${fmt(r.requestsPerSecond, 0).padStart(8)} ${fmt(r.p50Ms).padStart(8)} ${fmt(r.p99Ms).padStart(8)} ${fmt(r.cpuMsPerRequest, 3).padStart(11)} ${fmt(r.rssMbMax, 0).padStart(7)} ${String(r.non2xx).padStart(7)} ${String(r.errors).padStart(6)}${range}`,
    );
  }
  if (redis !== undefined) {
    console.log(`\nRedis server CPU per gateway call (limit counters; ${redisKeys} keys written under the run's prefix):`);
    for (const r of results.filter((result) => result.redisCpuMsPerRequest !== undefined)) {
      console.log(`  ${r.scenario.padEnd(8)} ${String(r.connections).padStart(3)} conns  ${fmt(r.redisCpuMsPerRequest ?? NaN, 3)} ms`);
    }
  }
  console.log('\nfirst streamed content chunk, 1 connection (idle server | right after the load):');
  for (const [name, r] of Object.entries(firstChunk)) {
    const after = firstChunkAfterLoad[name];
    console.log(`  ${name.padEnd(11)} p50 ${fmt(r.p50Ms)} ms  p99 ${fmt(r.p99Ms)} ms  | p50 ${fmt(after?.p50Ms ?? NaN)} ms  p99 ${fmt(after?.p99Ms ?? NaN)} ms`);
  }
  console.log('\nsummary:', JSON.stringify(summary, null, 2));
  console.log('targets met:', JSON.stringify(targets, null, 2));

  const report = { date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, secondsPerScenario: seconds, rounds, keyCount: KEY_COUNT, limited, limitCounters: redis === undefined ? 'memory' : 'redis', redisKeysWritten: redisKeys ?? null, gatewayProcess, floorsProcess, results, firstChunk, firstChunkAfterLoad, summary, targets };
  // A profiled run's figures carry the profiler's cost: they never replace the plain runs' files.
  const defaultOut = profile || allocProfile ? 'bench/results/latest-profiled.json' : redis !== undefined ? 'bench/results/latest-redis.json' : limited ? 'bench/results/latest-limited.json' : 'bench/results/latest.json';
  const written = outFile ?? defaultOut;
  mkdirSync(path.dirname(written), { recursive: true });
  writeFileSync(written, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwritten: ${written}`);
  if (profile) console.log('\n' + summarizeProfile(dataDir, 25));
  if (allocations !== undefined) console.log('\n' + allocations);
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
