import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from './src/app.js';
import { parseEnv } from './src/config/env.js';
const dataDir = mkdtempSync(path.join(tmpdir(), 'hooks-'));
const app = await buildApp({ env: parseEnv({ GATEWAY_DATA_DIR: dataDir, GATEWAY_SECRET_KEY: 'd'.repeat(64), GATEWAY_ADMIN_PASSWORD: 'hooks-password-1234', LOG_LEVEL: 'silent' }), logger: false });
await app.ready();
const route = app.findRoute({ method: 'POST', url: '/v1/chat/completions' }) as unknown as Record<string, unknown>;
console.log(Object.keys(route));
// fastify internals: context holds hooks
const r = (app as unknown as { [k: symbol]: unknown });
app.addHook; 
await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: {} });
const sym = Object.getOwnPropertySymbols(app).find((s) => String(s) === 'Symbol(fastify.hooks)');
const hooks = (app as unknown as Record<symbol, Record<string, Array<{ name?: string }>>>)[sym!];
for (const [k, v] of Object.entries(hooks)) if (Array.isArray(v) && v.length) console.log(k, v.length, v.map((f) => f.name || '(anon)').join(', '));
await app.close();
