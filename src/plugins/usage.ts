import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { TokenCounter } from '../usage/token-counter.js';

declare module 'fastify' {
  interface FastifyInstance {
    tokenCounter: TokenCounter;
  }
}

export default fp(
  async function usage(fastify: FastifyInstance) {
    fastify.decorate('tokenCounter', new TokenCounter());
  },
  { name: 'usage' },
);
