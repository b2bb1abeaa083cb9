/**
 * Two builds of the gateway measured side by side, at the same time, under the same fixed rate:
 * the working tree against a git ref (default HEAD, i.e. the uncommitted change).
 *   npm run bench:ab                          working tree vs HEAD, 1 connection, 250 calls/s
 *   npm run bench:ab -- --base=HEAD~3         against another commit
 *   npm run bench:ab -- --connections=50 --rate=700 --reps=6 --seconds=6 --out=file.json
 *   npm run bench:ab -- --stream              streamed calls (20 chunks) instead of JSON ones
 *   npm run bench:ab -- --limited             rpm, tpm and budgets on the calling key and tenant (as bench/run.ts --limited)
 *   npm run bench:ab -- --base=HEAD --current-env=MALLOC_MMAP_THRESHOLD_=131072
 *                                             the same build twice, the current side with extra environment
 *                                             (NAME=VALUE, comma-separated): for settings read only at process start
 *
 * Why: a shared VM's speed drifts by ±15–40 % between minutes, more than most changes are worth,
 * so two builds measured one after the other compare the minutes as much as the builds. Here
 * both run at once and every drift hits both; each repetition gives the ratio of their CPU per
 * call, and the median ratio is the result. With a clean tree (`--base=HEAD`) the two builds are
 * the same: the spread of that A/A run is the method's own noise.
 *
 * The fixed rate (autocannon's overallRate, split between the connections) keeps the two from
 * competing for throughput: each does the same calls, so their CPU per call is comparable.
 * Both data dirs are seeded by this checkout's code: a base from before a schema change needs
 * its own seeding, and this script is not for that.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runLoad, type LoadResult } from './load.js';
import { gatewayEnvironment, startGateway } from './gateway-subject.js';
import { prepareGateway } from './seed-gateway.js';
import { startSubject, type Subject } from './subject-process.js';

const option = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const numberOption = (name: string, fallback: number): number => {
  const value = Number(option(name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const baseRef = option('base') ?? 'HEAD';
const connections = numberOption('connections', 1);
const rate = numberOption('rate', 250);
const reps = numberOption('reps', 8);
const seconds = numberOption('seconds', 6);
const outFile = option('out') ?? 'bench/results/ab-latest.json';
const stream = process.argv.includes('--stream');
const limited = process.argv.includes('--limited');
/** `--current-env=A=1,B=2`: environment for the current side only. */
const currentEnv: NodeJS.ProcessEnv = Object.fromEntries(
  (option('current-env') ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const KEY_COUNT = 10_000;

/** A worktree of `ref`, built, sharing this checkout's node_modules. */
function buildBase(ref: string): { serverJs: string; commit: string; remove(): void } {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gateway-ab-base-'));
  execFileSync('git', ['worktree', 'add', '--detach', '--force', dir, commit], { stdio: 'ignore' });
  const remove = () => {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  } catch (error) {
    remove();
    throw error;
  }
  return { serverJs: path.join(dir, 'dist', 'server.js'), commit, remove };
}

interface Side {
  name: string;
  subject: Subject;
  apiKey: string;
}

async function startSide(name: string, serverJs: string, upstreamUrl: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Side> {
  const { dataDir, configFile, apiKey } = prepareGateway(upstreamUrl, KEY_COUNT, { limited });
  const subject = await startGateway(name, [serverJs], gatewayEnvironment(dataDir, configFile, extraEnv), dataDir);
  return { name, subject, apiKey };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function main(): Promise<void> {
  const base = buildBase(baseRef);
  const sides: Side[] = [];
  let upstream: Subject | undefined;
  try {
    upstream = await startSubject('upstream', process.execPath, ['--import', 'tsx', 'bench/fake-upstream.ts', '20', '0'], process.env, (output) => /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1]);
    sides.push(await startSide('base', base.serverJs, upstream.url), await startSide('current', 'dist/server.js', upstream.url, currentEnv));
    const messages = [{ role: 'user', content: 'Say hello.' }];
    const body = JSON.stringify(stream ? { model: 'bench-model', messages, stream: true, stream_options: { include_usage: true } } : { model: 'bench-model', messages });
    const loadBoth = (duration: number) => Promise.all(sides.map((side) => runLoad(side.subject.url, body, { authorization: `Bearer ${side.apiKey}` }, connections, duration, rate)));
    await loadBoth(2); // JIT, keep-alive pools

    console.log(`current (working tree) vs base ${baseRef} (${base.commit.slice(0, 10)}): ${stream ? 'streamed' : 'JSON'} calls${limited ? ' with limits' : ''}, ${connections} connection(s), ${rate} calls/s each, ${reps} × ${seconds} s${Object.keys(currentEnv).length > 0 ? `; current side also with ${JSON.stringify(currentEnv)}` : ''}`);
    // Peak RSS of each side over the repetitions, sampled as bench/run.ts does.
    const peakRssMb = sides.map(() => 0);
    const rssSampler = setInterval(() => sides.forEach((side, index) => (peakRssMb[index] = Math.max(peakRssMb[index] as number, side.subject.rssMb()))), 200);
    const repetitions: Array<{ baseCpuMsPerCall: number; currentCpuMsPerCall: number; ratio: number; base: LoadResult; current: LoadResult }> = [];
    for (let rep = 1; rep <= reps; rep++) {
      const before = sides.map((side) => side.subject.cpuMs());
      const [baseLoad, currentLoad] = (await loadBoth(seconds)) as [LoadResult, LoadResult];
      const [baseCpu, currentCpu] = sides.map((side, index) => side.subject.cpuMs() - (before[index] as number)) as [number, number];
      const baseCpuMsPerCall = baseCpu / Math.max(1, baseLoad.requests);
      const currentCpuMsPerCall = currentCpu / Math.max(1, currentLoad.requests);
      const ratio = currentCpuMsPerCall / baseCpuMsPerCall;
      repetitions.push({ baseCpuMsPerCall, currentCpuMsPerCall, ratio, base: baseLoad, current: currentLoad });
      const failures = (load: LoadResult) => (load.non2xx + load.errors > 0 ? ` (${load.non2xx} non-2xx, ${load.errors} errors)` : '');
      console.log(
        `  ${String(rep).padStart(2)}: base ${baseCpuMsPerCall.toFixed(3)} ms/call${failures(baseLoad)}  current ${currentCpuMsPerCall.toFixed(3)} ms/call${failures(currentLoad)}  current/base ${ratio.toFixed(3)}`,
      );
    }
    clearInterval(rssSampler);
    const ratios = repetitions.map((r) => r.ratio);
    const summary = {
      medianRatio: median(ratios),
      lowestRatio: Math.min(...ratios),
      highestRatio: Math.max(...ratios),
      medianBaseCpuMsPerCall: median(repetitions.map((r) => r.baseCpuMsPerCall)),
      medianCurrentCpuMsPerCall: median(repetitions.map((r) => r.currentCpuMsPerCall)),
      failures: repetitions.reduce((sum, r) => sum + r.base.non2xx + r.base.errors + r.current.non2xx + r.current.errors, 0),
      basePeakRssMb: peakRssMb[0] as number,
      currentPeakRssMb: peakRssMb[1] as number,
    };
    console.log(`\nCPU per call, current/base: median ${summary.medianRatio.toFixed(3)} (lowest ${summary.lowestRatio.toFixed(3)}, highest ${summary.highestRatio.toFixed(3)}); peak RSS base ${summary.basePeakRssMb.toFixed(0)} MB, current ${summary.currentPeakRssMb.toFixed(0)} MB; failures: ${summary.failures}`);
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      base: { ref: baseRef, commit: base.commit },
      calls: stream ? 'stream' : 'json',
      limited,
      currentEnv,
      connections,
      ratePerSecond: rate,
      secondsPerRepetition: seconds,
      keyCount: KEY_COUNT,
      repetitions,
      summary,
    };
    mkdirSync(path.dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
    console.log(`written: ${outFile}`);
  } finally {
    await Promise.all(sides.map((side) => side.subject.stop()));
    await upstream?.stop();
    base.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
