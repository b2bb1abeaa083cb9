import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
const dir = process.argv[2]!;
const file = readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0]!;
const p = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[] };
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (c: { functionName: string; url: string; lineNumber: number }) => `${c.functionName || '(anon)'} ${c.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${c.lineNumber + 1}`;
const incl = new Map<string, number>(); let all = 0;
for (const n of p.nodes) {
  const h = n.hitCount ?? 0; if (!h || n.callFrame.functionName === '(idle)') continue;
  all += h;
  const seen = new Set<string>();
  let cur: number | undefined = n.id;
  while (cur !== undefined) { const c = byId.get(cur)!; const k = name(c.callFrame); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + h); } cur = parent.get(cur); }
}
const filter = new RegExp(process.argv[3] ?? 'dist/');
console.log([...incl].filter(([k]) => filter.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] ?? 60)).map(([k, v]) => `${((v / all) * 100).toFixed(1).padStart(5)}% ${k}`).join('\n'));
