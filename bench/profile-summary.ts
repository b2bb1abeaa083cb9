import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time by function from the gateway's V8 `.cpuprofile` (written on exit by --cpu-prof). */
export function summarizeProfile(dir: string, top: number): string {
  // --cpu-prof writes one profile per thread (the call-log writer has its own): the main thread's is the largest.
  const file = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0];
  if (!file) return 'no CPU profile was written';
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
  const totals = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    // Idle time says nothing about where the work goes.
    if (node.callFrame.functionName === '(idle)') continue;
    all += hits;
    const where = node.callFrame.url ? `${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${node.callFrame.lineNumber + 1}` : '(native)';
    const key = `${node.callFrame.functionName || '(anonymous)'}  ${where}`;
    totals.set(key, (totals.get(key) ?? 0) + hits);
  }
  const lines = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, hits]) => `${((hits / all) * 100).toFixed(1).padStart(5)}%  ${name}`);
  return `gateway CPU profile (main thread), share of busy self time (top ${top}):\n${lines.join('\n')}`;
}
