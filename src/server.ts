import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { EnvError, parseEnv } from './config/env.js';
import { ConfigError } from './config/gateway-config.js';

/** Starts the gateway: listen, and drain on SIGTERM/SIGINT (DESIGN §7). */
async function main(): Promise<void> {
  const env = parseEnv();
  const app = await buildApp({ env });

  closeWithGrace({ delay: env.GATEWAY_SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down: draining in-flight calls');
    app.draining = true;
    // fastify.close() stops accepting, closes idle keep-alive sockets, waits for in-flight calls
    // (streams too) and then runs the onClose hooks (call-log flush, database close).
    await app.close();
  });

  await app.listen({ port: env.PORT, host: env.HOST });
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`The gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
