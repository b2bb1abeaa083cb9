import type { FastifyReply } from 'fastify';
import { ClientClosedRequest } from '../../routing/upstream-deadline.js';

/**
 * Aborts when the client's connection closes before the answer ended, so the upstream request
 * is cancelled at once: a stream nobody reads must not keep costing tokens.
 */
export function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (reply.raw.writableFinished) return;
    reply.request.call.cancelled = true;
    controller.abort(new ClientClosedRequest());
  });
  return controller.signal;
}
