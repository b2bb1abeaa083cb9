import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { newCallRecord } from '../routing/call-record.js';

/** Gives every request its call record and every response its `x-request-id`. */
export default fp(
  async function requestContext(fastify: FastifyInstance) {
    fastify.decorateRequest('call', null as never);
    fastify.addHook('onRequest', async (request, reply) => {
      request.call = newCallRecord();
      reply.header('x-request-id', request.id);
    });
  },
  { name: 'request-context' },
);
