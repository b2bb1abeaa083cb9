import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';

/**
 * After the grace period the remaining connections are cut; the call log still has to be
 * flushed and the database closed. If even that hangs, close-with-grace ends the process.
 */
export const FLUSH_MARGIN_MS = 5_000;

const IDLE_REAP_INTERVAL_MS = 100;

export class ShutdownDeadlineError extends Error {
  override name = 'ShutdownDeadlineError';
}

/**
 * Drains on SIGTERM/SIGINT (DESIGN §7). Exit codes:
 * - 0: every in-flight call (streams too) ended within GATEWAY_SHUTDOWN_GRACE_MS, the call log
 *   was flushed and the database closed;
 * - 1: calls were still running at the deadline and their connections were cut (they are logged
 *   as cancelled), or the shutdown itself hung for FLUSH_MARGIN_MS more, or it was caused by an
 *   uncaught error, or a second signal arrived while draining.
 */
export function installGracefulShutdown(app: FastifyInstance, graceMs: number): void {
  closeWithGrace(
    {
      delay: graceMs + FLUSH_MARGIN_MS,
      logger: {
        error: (message: unknown) =>
          message instanceof Error ? app.log.error({ err: message }, `shutdown: ${message.message}`) : app.log.error(`shutdown: ${String(message)}`),
      },
      onTimeout: (delay) => app.log.error({ delayMs: delay }, 'shutdown hung past the grace period and the flush margin; exiting with code 1'),
    },
    async ({ signal, err }) => {
      if (err) app.log.error({ err }, 'shutting down after an uncaught error');
      else app.log.info({ signal, graceMs }, 'shutting down: draining in-flight calls');
      app.draining = true;

      // server.close() reaps the keep-alive connections idle at that moment only; one whose call
      // ends later would hold the shutdown until its keep-alive timeout (72 s), so reap as they free up.
      const reaper = setInterval(() => app.server.closeIdleConnections(), IDLE_REAP_INTERVAL_MS);
      let cut = false;
      const deadline = setTimeout(() => {
        cut = true;
        // Read by the call log: these calls end because the gateway cut them, not their clients.
        app.cuttingConnections = true;
        app.log.warn({ graceMs }, 'grace period over: cutting the connections of calls still running');
        app.server.closeAllConnections();
      }, graceMs);
      try {
        // Stops accepting, closes idle keep-alive sockets, waits for in-flight calls, then runs
        // the onClose hooks (call-log flush, database close).
        await app.close();
      } finally {
        clearTimeout(deadline);
        clearInterval(reaper);
      }
      if (cut) throw new ShutdownDeadlineError(`Calls were still running after ${graceMs} ms and were cut.`);
      app.log.info('shutdown complete');
    },
  );
}
