/**
 * `--rounds=N`: the whole comparison runs N times, every server once per round, and each figure
 * is the median over the rounds. A shared VM's speed drifts by ±15 % within minutes; a drift
 * that hits one server's single measurement skews its ratios, while a median of interleaved
 * rounds does not follow one bad round. The spread (lowest–highest CPU per call) is kept beside
 * each median, so the reader sees how noisy the machine was.
 */
import type { LoadResult } from './load.js';

export interface ScenarioResult extends LoadResult {
  subject: string;
  scenario: string;
  connections: number;
  cpuMsPerRequest: number;
  rssMbMax: number;
  /** The Redis server's CPU per call, for the gateway in a `--redis` run (its limit counters live there). */
  redisCpuMsPerRequest?: number;
  /** With several rounds: the lowest and highest CPU per call among them. */
  cpuMsPerRequestRange?: [number, number];
  rounds?: number;
}

export interface FirstChunkResult {
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

export function median(values: number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One result per subject, scenario and connection count: medians, except what must add up (failures) or peak (RSS). */
export function combineRounds(results: ScenarioResult[]): ScenarioResult[] {
  const groups = new Map<string, ScenarioResult[]>();
  for (const result of results) {
    const key = `${result.subject}|${result.scenario}|${result.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as ScenarioResult;
    if (group.length === 1) return first;
    const of = (pick: (result: ScenarioResult) => number) => median(group.map(pick));
    const cpu = group.map((result) => result.cpuMsPerRequest);
    const redis = group.map((result) => result.redisCpuMsPerRequest).filter((value): value is number => value !== undefined);
    return {
      subject: first.subject,
      scenario: first.scenario,
      connections: first.connections,
      requests: group.reduce((sum, result) => sum + result.requests, 0),
      requestsPerSecond: of((result) => result.requestsPerSecond),
      p50Ms: of((result) => result.p50Ms),
      p99Ms: of((result) => result.p99Ms),
      non2xx: group.reduce((sum, result) => sum + result.non2xx, 0),
      errors: group.reduce((sum, result) => sum + result.errors, 0),
      cpuMsPerRequest: median(cpu),
      cpuMsPerRequestRange: [Math.min(...cpu), Math.max(...cpu)],
      rssMbMax: Math.max(...group.map((result) => result.rssMbMax)),
      ...(redis.length === 0 ? {} : { redisCpuMsPerRequest: median(redis) }),
      rounds: group.length,
    };
  });
}

/** Medians of the percentiles; failures add up. */
export function combineFirstChunks(rounds: FirstChunkResult[]): FirstChunkResult {
  return {
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
  };
}
