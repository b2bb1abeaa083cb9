import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayError } from '../errors.js';

/** The sockets are already destroyed when this runs; their 'close' events are one loop turn away. */
const SETTLE_LIMIT_MS = 2_000;

/** Still answered while draining: a load balancer must read /readyz's 503 and its checks. */
const probes = new Set(['/healthz', '/readyz']);

declare module 'fastify' {
  interface FastifyInstance {
    /** Responses not yet finished or closed (calls, refusals and probes alike). */
    openResponses(): number;
  }
}

/**
 * Closing the server resolves as soon as its connection count reaches zero, one event-loop
 * turn before the responses of connections cut at the shutdown deadline emit 'close'. The call
 * log records a cut call on that 'close'; so the onClose hooks registered before this plugin
 * (call-log flush, database close) wait here until every response has closed.
 *
 * Register after the call log: onClose hooks run in reverse order of registration.
 */
export default fp(
  async function connectionDrain(fastify: FastifyInstance) {
    const open = new Set<ServerResponse>();
    fastify.decorate('openResponses', () => open.size);
    fastify.addHook('onRequest', async (request, reply) => {
      const raw = reply.raw;
      open.add(raw);
      // 'finish': answered in full (injected responses never emit 'close'); 'close': cut short.
      const done = () => open.delete(raw);
      raw.once('finish', done);
      raw.once('close', done);
      // A call that arrives while draining (on a keep-alive connection opened before) is refused
      // like every other refusal: the envelope, a call-log row (Fastify's own 503 had neither).
      if (fastify.draining && !probes.has(request.routeOptions.url ?? '')) {
        throw new GatewayError('service_unavailable', 'The gateway is shutting down and takes no new calls.', {
          hint: 'Send the call again: a new connection reaches another replica, or this one once it is back.',
          // The response closes this connection, so a retry opens a new one; the openai SDKs retry a 503 by themselves.
          headers: { 'retry-after': '1' },
        });
      }
    });
    fastify.addHook('onClose', async () => {
      const deadline = Date.now() + SETTLE_LIMIT_MS;
      while (open.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      if (open.size > 0) fastify.log.warn({ responses: open.size }, 'responses still open at shutdown');
    });
  },
  { name: 'connection-drain', dependencies: ['error-handler'] },
);
