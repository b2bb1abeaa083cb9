import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time by function from the gateway's V8 `.cpuprofile` (written on exit by --cpu-prof). */
export function summarizeProfile(dir: string, top: number): string {
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return 'no CPU profile was written';
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
  const totals = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    all += hits;
    const where = node.callFrame.url ? `${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${node.callFrame.lineNumber + 1}` : '(native)';
    const key = `${node.callFrame.functionName || '(anonymous)'}  ${where}`;
    totals.set(key, (totals.get(key) ?? 0) + hits);
  }
  const lines = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, hits]) => `${((hits / all) * 100).toFixed(1).padStart(5)}%  ${name}`);
  return `gateway CPU profile, self time (top ${top}):\n${lines.join('\n')}`;
}
