import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set on SIGTERM/SIGINT: /readyz turns 503 so load balancers stop sending calls. */
    draining: boolean;
  }
}

export default async function healthRoutes(fastify: FastifyInstance) {
  fastify.get('/healthz', async () => ({ status: 'ok' }));

  fastify.get('/readyz', async (_request, reply) => {
    const checks: Record<string, boolean> = { database: false, catalog: fastify.catalog !== undefined, draining: fastify.draining };
    try {
      fastify.db.get(sql`select 1`);
      checks.database = true;
    } catch {
      checks.database = false;
    }
    const ready = checks.database && checks.catalog && !fastify.draining;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
