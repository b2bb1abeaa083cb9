import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
const dir = process.argv[2]!;
const file = readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0]!;
const p = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[] };
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const bucket = (url: string, fn: string) => {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url); if (nm) return nm[1]!;
  const d = /\/dist\/([^/]+(?:\/[^/]+)?)/.exec(url); if (d) return 'dist/' + d[1]!.replace(/\/[^/]*\.js$/, '').replace(/\.js$/, '');
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
};
const self = new Map<string, number>(); let all = 0;
// inclusive by gateway dist file: attribute each sample to the outermost dist frame? use innermost dist frame as "owner"
const owner = new Map<string, number>();
for (const n of p.nodes) {
  const h = n.hitCount ?? 0; if (!h || n.callFrame.functionName === '(idle)') continue;
  all += h;
  const b = bucket(n.callFrame.url, n.callFrame.functionName); self.set(b, (self.get(b) ?? 0) + h);
  // walk up to find nearest dist frame
  let cur: number | undefined = n.id; let own = '(no gateway frame)';
  while (cur !== undefined) { const c = byId.get(cur)!; if (/\/dist\//.test(c.callFrame.url)) { own = bucket(c.callFrame.url, '') + ' ' + c.callFrame.functionName; break; } cur = parent.get(cur); }
  owner.set(own, (owner.get(own) ?? 0) + h);
}
const show = (m: Map<string, number>, top: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${((v / all) * 100).toFixed(1).padStart(5)}% ${k}`).join('\n');
console.log('SELF by package\n' + show(self, 30)); console.log('\nNEAREST GATEWAY FRAME\n' + show(owner, 40));
