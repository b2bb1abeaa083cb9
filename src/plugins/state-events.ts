import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Registers a listener that rebuilds an in-memory view (catalog, policy snapshot) after admin writes. */
    onStateChange(listener: () => void): void;
    /** Called by every admin write once its transaction committed: the next call sees the change. */
    stateChanged(): void;
  }
}

export default fp(
  async function stateEvents(fastify: FastifyInstance) {
    const listeners: Array<() => void> = [];
    fastify.decorate('onStateChange', (listener: () => void) => {
      listeners.push(listener);
    });
    fastify.decorate('stateChanged', () => {
      for (const listener of listeners) listener();
    });
  },
  { name: 'state-events' },
);
