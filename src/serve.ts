import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { EnvError, type Env } from './config/env.js';
import { ConfigError } from './config/gateway-config.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { capHeapGrowth } from './heap-growth.js';
import { SecretKeyMismatchError } from './secrets/secret-box.js';

/** Builds the gateway, installs the drain on SIGTERM/SIGINT and listens (`server.js` and `gateway serve`). */
export async function serve(env: Env): Promise<FastifyInstance> {
  capHeapGrowth();
  const app = await buildApp({ env });
  // Before the first call, not during it: built lazily, the tokenizer stalled every call in
  // flight for its build time, long enough for the overload guard to shed the next ones.
  app.tokenCounter.warmUp();
  installGracefulShutdown(app, env.GATEWAY_SHUTDOWN_GRACE_MS);
  await app.listen({ port: env.PORT, host: env.HOST });
  return app;
}

/** A failed boot prints one clear message (no stack for a configuration mistake) and exits 1. */
export function exitOnStartupFailure(error: unknown): never {
  if (error instanceof EnvError || error instanceof ConfigError || error instanceof SecretKeyMismatchError) {
    process.stderr.write(`${error.message}\n`);
  } else if (startupHint(error) !== undefined) {
    process.stderr.write(`The gateway failed to start: ${(error as Error).message}. ${startupHint(error)}\n`);
  } else {
    process.stderr.write(`The gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}

/** The operator's mistakes a system error points at, named by the variable to change. */
function startupHint(error: unknown): string | undefined {
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE') return 'Another process holds the port; stop it or set PORT.';
  if (code === 'EACCES' && syscall === 'listen') return 'This user may not listen on that port; set PORT above 1023.';
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && syscall === 'getaddrinfo') return 'HOST does not name an address of this machine; set HOST to an IP (such as 127.0.0.1 or 0.0.0.0).';
  if (code === 'EADDRNOTAVAIL') return 'HOST is not an address of this machine; set HOST to one of its addresses, or 0.0.0.0.';
  if ((code === 'EEXIST' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EROFS') && syscall !== 'listen') {
    return 'GATEWAY_DATA_DIR must be a directory the gateway can create and write.';
  }
  return undefined;
}
