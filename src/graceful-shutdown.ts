import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';

/**
 * After the grace period the remaining connections are cut; the call log still has to be
 * flushed and the database closed. If even that hangs, close-with-grace ends the process.
 */
export const FLUSH_MARGIN_MS = 5_000;

const IDLE_REAP_INTERVAL_MS = 100;
const DRAIN_POLL_MS = 20;

/**
 * Drains on SIGTERM/SIGINT (DESIGN §7). While calls run, the listener stays open: `/readyz`
 * answers 503 to a load balancer's probe and a new call gets 503 `service_unavailable` (it can
 * go elsewhere), instead of a refused connection that says nothing. Once no call runs, or when
 * the grace period ends and the calls still running are cut, the server closes. Exit codes:
 * - 0: the drain ran its course (calls finished or, at the deadline, were cut and logged as
 *   cancelled), the call log was flushed and the database closed;
 * - 1: the shutdown itself hung FLUSH_MARGIN_MS past the grace period, or it was caused by an
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
      const deadline = setTimeout(() => {
        // Read by the call log too: these calls end because the gateway cut them, not their clients.
        app.cuttingConnections = true;
        app.log.warn({ graceMs }, 'grace period over: cutting the connections of calls still running');
        app.server.closeAllConnections();
      }, graceMs);
      try {
        while (!app.cuttingConnections && app.openResponses() > 0) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
        // Stops accepting, closes idle keep-alive sockets, waits for what still runs, then runs
        // the onClose hooks (call-log flush, database close).
        await app.close();
      } finally {
        clearTimeout(deadline);
        clearInterval(reaper);
      }
      app.log.info(app.cuttingConnections ? 'shutdown complete; calls still running at the deadline were cut' : 'shutdown complete');
    },
  );
}
