import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
type P = { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[]; startTime: number; endTime: number; samples: number[] };
function load(dir: string) {
  const file = readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0]!;
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as P;
}
const bucket = (url: string, fn: string) => {
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url); if (nm) return nm[1]! + '/' + nm[2]!.split('/').slice(-1)[0] + ' ' + fn;
  const d = /\/dist\/(.*)$/.exec(url); if (d) return 'dist/' + d[1] + ' ' + fn;
  return url.replace(/^node:internal\//, 'node:') + ' ' + fn;
};
function perReq(dir: string, requests: number) {
  const p = load(dir);
  const interval = (p.endTime - p.startTime) / p.samples.length / 1000; // ms per sample
  const m = new Map<string, number>();
  for (const n of p.nodes) { const h = n.hitCount ?? 0; if (!h || n.callFrame.functionName === '(idle)') continue; const b = bucket(n.callFrame.url, n.callFrame.functionName); m.set(b, (m.get(b) ?? 0) + (h * interval * 1000) / requests); }
  return m;
}
const [d1, r1, d2, r2] = process.argv.slice(2);
const a = perReq(d1!, Number(r1)), b = perReq(d2!, Number(r2));
const keys = new Set([...a.keys(), ...b.keys()]);
const rows = [...keys].map((k) => [k, a.get(k) ?? 0, b.get(k) ?? 0] as const).sort((x, y) => (y[1] - y[2]) - (x[1] - x[2]));
const tot = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
console.log(`total µs/req: A ${tot(a).toFixed(1)}  B ${tot(b).toFixed(1)}`);
for (const [k, x, y] of rows.slice(0, 40)) console.log(`${(x - y).toFixed(2).padStart(7)}  A ${x.toFixed(2).padStart(6)}  B ${y.toFixed(2).padStart(6)}  ${k}`);
