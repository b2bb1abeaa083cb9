import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
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
 * HTTP/1.1 pipelining: Node answers a connection's requests in order, so the response of a
 * request that arrives while an earlier one is still answered waits in a queue without a socket.
 * When the connection closes (the client leaves, or half-closes it after its last request), Node
 * emits 'close' only on the response holding the socket: a queued one never finishes nor closes.
 * Every listener of the response's 'close' then waits forever: the upstream call is not
 * cancelled, the call gets no log row, a stream that fills the queued response's buffer never
 * ends (nor settles its limits), the in-flight gauge never goes down, and shutdown waits until
 * its grace period ends. So those responses are closed here, as Node closes the one that held
 * the socket.
 */
function closeQueuedResponsesWithTheirConnection(server: Server): void {
  const queuedBySocket = new WeakMap<Socket, Set<ServerResponse>>();
  // After Fastify's own 'request' listener, on every request the server parses (not injected ones).
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    // `socket` is set when the response holds the connection: Node closes that one itself.
    if (response.socket !== null) return;
    const socket = request.socket;
    let queued = queuedBySocket.get(socket);
    if (queued === undefined) {
      const responses = new Set<ServerResponse>();
      queued = responses;
      queuedBySocket.set(socket, responses);
      socket.once('close', () => {
        for (const waiting of responses) {
          waiting.destroy();
          waiting.emit('close');
        }
        responses.clear();
      });
    }
    queued.add(response);
    // Its turn came: from now on Node emits its 'close'.
    response.once('socket', () => queued.delete(response));
  });
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
    closeQueuedResponsesWithTheirConnection(fastify.server);
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
