import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { latestShippedMigration, migrationsApplied } from '../db/migration-status.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set on SIGTERM/SIGINT: /readyz turns 503 so load balancers stop sending calls. */
    draining: boolean;
    /** Set when the shutdown's grace period ends and the calls still running are cut. */
    cuttingConnections: boolean;
  }
}

export default async function healthRoutes(fastify: FastifyInstance) {
  // Read once: the shipped migrations do not change while the process runs.
  const latestMigration = latestShippedMigration();

  fastify.get('/healthz', async () => ({ status: 'ok' }));

  fastify.get('/readyz', async (_request, reply) => {
    const checks: Record<string, boolean> = {
      database: false,
      migrations: false,
      catalog: fastify.catalog !== undefined,
      draining: fastify.draining,
    };
    try {
      fastify.db.get(sql`select 1`);
      checks.database = true;
      checks.migrations = migrationsApplied(fastify.sqlite, latestMigration);
    } catch {
      checks.database = false;
    }
    const ready = checks.database && checks.migrations && checks.catalog && !fastify.draining;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
