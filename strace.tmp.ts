import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { runLoad } from './bench/load.js';
import { startSubject, type Subject } from './bench/subject-process.js';
import { BENCH_SECRET_KEY, prepareGateway } from './bench/seed-gateway.js';
const urlLine = (o: string) => /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(o)?.[1];
const upstream = await startSubject('upstream', process.execPath, ['--import', 'tsx', 'bench/fake-upstream.ts', '20', '0'], process.env, urlLine);
const sdk = await startSubject('sdk-floor', process.execPath, ['--import', 'tsx', 'bench/sdk-floor.ts', upstream.url], process.env, urlLine);
const { dataDir, configFile, apiKey } = prepareGateway(upstream.url, 10_000);
const gw = await startSubject('gateway', process.execPath, ['dist/server.js'], { ...process.env, PORT: '0', GATEWAY_DATA_DIR: dataDir, GATEWAY_CONFIG: configFile, GATEWAY_SECRET_KEY: BENCH_SECRET_KEY, LOG_LEVEL: 'info', GATEWAY_ADMIN_PASSWORD: 'bench-admin-password-123' }, (o) => /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(o)?.[1], { logFile: path.join(dataDir, 'gw.log') });
const auth = { authorization: `Bearer ${apiKey}` };
async function trace(s: Subject, model: string) {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }] });
  await runLoad(s.url, body, auth, 1, 2);
  const out = `/tmp/strace-${s.name}.txt`;
  const st = spawn('strace', ['-f', '-c', '-o', out, '-p', String(s.pid)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const load = await runLoad(s.url, body, auth, 1, 3);
  st.kill('SIGINT');
  await new Promise((r) => st.once('exit', r));
  console.log(`== ${s.name}: ${load.requests} requests`);
  console.log(spawnSync('head', ['-25', out], { encoding: 'utf8' }).stdout);
}
await trace(sdk, 'bench-upstream');
await trace(gw, 'bench-model');
await gw.stop(); await sdk.stop(); await upstream.stop();
