import path from 'node:path';
import { startSubject, type Subject } from './subject-process.js';
import { BENCH_SECRET_KEY } from './seed-gateway.js';

/** glibc malloc arenas, as quick-start.sh and the Dockerfile start the gateway. */
export const DEPLOYED_MALLOC_ARENA_MAX = '2';
/** glibc's fixed mmap threshold (bytes), as quick-start.sh and the Dockerfile start the gateway. */
export const DEPLOYED_MALLOC_MMAP_THRESHOLD = '131072';

/** The environment of a gateway under measurement, as it is deployed: log level info (to a file), glibc's malloc settings. */
export function gatewayEnvironment(dataDir: string, configFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_CONFIG: configFile,
    GATEWAY_SECRET_KEY: BENCH_SECRET_KEY,
    LOG_LEVEL: 'info',
    // As quick-start.sh and the Dockerfile start it; `--malloc-arena-max=N` replaces it.
    MALLOC_ARENA_MAX: DEPLOYED_MALLOC_ARENA_MAX,
    MALLOC_MMAP_THRESHOLD_: DEPLOYED_MALLOC_MMAP_THRESHOLD,
    GATEWAY_ADMIN_PASSWORD: 'bench-admin-password-123',
    ...extra,
  };
}

/** Starts `node <args>` (the args end with a `server.js`), logging to `gateway.log` in the data dir; ready once it listens. */
export function startGateway(name: string, args: string[], env: NodeJS.ProcessEnv, dataDir: string): Promise<Subject> {
  const listening = (output: string) => /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(output)?.[1];
  return startSubject(name, process.execPath, args, env, listening, { logFile: path.join(dataDir, 'gateway.log') });
}
