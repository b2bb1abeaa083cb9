import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Registers a listener that rebuilds an in-memory view (catalog, policy snapshot) after admin writes. */
    onStateChange(listener: () => void): void;
    /** Called by every admin write once its transaction committed: the next call sees the change. */
    stateChanged(): void;
    /** Registers a listener told of this instance's own admin writes only (state-sync tells the other replicas). */
    onLocalStateChange(listener: () => void): void;
    /** Another replica wrote to the shared database: rebuild the views, tell nobody. */
    stateChangedElsewhere(): void;
  }
}

export default fp(
  async function stateEvents(fastify: FastifyInstance) {
    const listeners: Array<() => void> = [];
    const localListeners: Array<() => void> = [];
    const rebuild = () => {
      for (const listener of listeners) listener();
    };
    fastify.decorate('onStateChange', (listener: () => void) => {
      listeners.push(listener);
    });
    fastify.decorate('onLocalStateChange', (listener: () => void) => {
      localListeners.push(listener);
    });
    fastify.decorate('stateChanged', () => {
      rebuild();
      for (const listener of localListeners) listener();
    });
    fastify.decorate('stateChangedElsewhere', rebuild);
  },
  { name: 'state-events' },
);
