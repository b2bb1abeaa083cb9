import type { FastifyRequest } from 'fastify';
import { redactUrl } from '../secrets/redact-secrets.js';

/**
 * How a request appears in the server log (pino's `req` serializer): Fastify's default fields,
 * with credentials in the URL replaced. A client that sends its key as `?api_key=` or `?key=` is
 * refused, but its URL would otherwise put a live key into the log.
 */
export function requestLogValue(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
