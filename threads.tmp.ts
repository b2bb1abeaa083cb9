import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runLoad } from './bench/load.js';
import { startSubject, type Subject } from './bench/subject-process.js';
import { BENCH_SECRET_KEY, prepareGateway } from './bench/seed-gateway.js';
const urlLine = (o: string) => /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(o)?.[1];
const tsx = ['--import', 'tsx'];
function threads(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      const name = tid === String(pid) ? 'main' : comm;
      out.set(name, (out.get(name) ?? 0) + ms);
    } catch {}
  }
  return out;
}
async function measure(s: Subject, model: string, auth: Record<string,string>, conns: number) {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }] });
  await runLoad(s.url, body, auth, conns, 2);
  const before = threads(s.pid);
  let peak = 0; const sampler = setInterval(() => (peak = Math.max(peak, s.rssMb())), 200);
  const load = await runLoad(s.url, body, auth, conns, Number(process.env.SECS ?? 8));
  clearInterval(sampler);
  const after = threads(s.pid);
  const rss = s.rssMb();
  const parts = [...after].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / load.requests] as const).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const total = parts.reduce((a, [, v]) => a + v, 0);
  console.log(`${s.name} c=${conns} req/s=${load.requestsPerSecond.toFixed(0)} p50=${load.p50Ms.toFixed(2)} total=${total.toFixed(3)} ms/req rssEnd=${rss.toFixed(0)}MB peak=${peak.toFixed(0)}MB non2xx=${load.non2xx}`, parts.map(([k, v]) => `${k}:${v.toFixed(3)}`).join(' '));
}
const upstream = await startSubject('upstream', process.execPath, [...tsx, 'bench/fake-upstream.ts', '20', '0'], process.env, urlLine);
const sdk = await startSubject('sdk-floor', process.execPath, [...tsx, 'bench/sdk-floor.ts', upstream.url], process.env, urlLine);
const { dataDir, configFile, apiKey } = prepareGateway(upstream.url, 10_000);
const gw = await startSubject('gateway', process.execPath, [...(process.env.GWFLAGS ?? '').split(' ').filter(Boolean), 'dist/server.js'], { ...process.env, PORT: process.env.GWPORT ?? '0', GATEWAY_DATA_DIR: dataDir, GATEWAY_CONFIG: configFile, GATEWAY_SECRET_KEY: BENCH_SECRET_KEY, LOG_LEVEL: process.env.GWLOG ?? 'info', GATEWAY_ADMIN_PASSWORD: 'bench-admin-password-123' }, (o) => process.env.GWPORT ? (o.includes('jwt.secret') ? 'http://127.0.0.1:' + process.env.GWPORT : undefined) : /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(o)?.[1], { logFile: path.join(dataDir, 'gw.log') });
const auth = { authorization: `Bearer ${apiKey}` };
await new Promise((r) => setTimeout(r, 1500));
for (let r = 0; r < 2; r++) for (const c of [1, 50]) { if (!process.env.NOSDK) await measure(sdk, 'bench-upstream', auth, c); await measure(gw, 'bench-model', auth, c); }
await gw.stop(); await sdk.stop(); await upstream.stop();
