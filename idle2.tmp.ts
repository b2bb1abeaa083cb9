import { spawnSync } from 'node:child_process';
import { prepareGateway, BENCH_SECRET_KEY } from './bench/seed-gateway.js';
const { dataDir, configFile } = prepareGateway('http://127.0.0.1:9', 10_000);
const r = spawnSync(process.execPath, ['--expose-gc', ...(process.env.GWFLAGS ?? '').split(' ').filter(Boolean), 'mem.tmp.mjs'], { env: { ...process.env, PORT: '0', GATEWAY_DATA_DIR: dataDir, GATEWAY_CONFIG: configFile, GATEWAY_SECRET_KEY: BENCH_SECRET_KEY, LOG_LEVEL: 'warn', GATEWAY_ADMIN_PASSWORD: 'bench-admin-password-123' }, encoding: 'utf8' });
console.log(r.stderr.split('\n').filter((l) => l.startsWith('MEM')).join('\n'));
