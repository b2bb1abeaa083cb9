import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { GatewayError, toEnvelope } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sockets answered 408 request_timeout: a call routed on one is logged as the gateway's timeout, not the client leaving. */
    timedOutSockets: WeakSet<Socket>;
  }
}

interface ClientError extends Error {
  code?: string;
}

/** What Node reports before a request reached Fastify, as the catalogue's error. */
function catalogued(error: ClientError, requestTimeoutMs: number): GatewayError {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new GatewayError('request_timeout', `The request was not received in full within ${requestTimeoutMs} ms.`, {
      hint: 'Send the headers and the body without pausing; GATEWAY_REQUEST_TIMEOUT_MS sets the limit.',
    });
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return new GatewayError('malformed_http', 'The request headers are larger than the server accepts (16 KiB).', { hint: 'Send fewer or smaller headers.' });
  }
  return new GatewayError('malformed_http', 'The request is not well-formed HTTP/1.1.', { hint: 'Check the client or proxy that sent it.' });
}

/**
 * Node's 'clientError': a request too slow to arrive, oversized headers, bytes that are not HTTP.
 * Answered with the gateway's envelope instead of Fastify's own body. A request routed before its
 * body stalled has its call-log row, cancelled with `request_timeout`; otherwise no route ran and
 * no row exists.
 */
export function clientErrorHandler(requestTimeoutMs: number) {
  return function onClientError(this: FastifyInstance, error: ClientError, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const gatewayError = catalogued(error, requestTimeoutMs);
    if (gatewayError.code === 'request_timeout') this.timedOutSockets.add(socket);
    this.log.info({ code: error.code, status: gatewayError.status }, 'client error before a request was routed');
    // As Node does: an error answer only where it cannot corrupt another one. A pipelined request
    // that breaks while an earlier answer (a stream) is being sent would otherwise put raw HTTP
    // into the middle of that answer; the connection is then only closed.
    const answering = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && (answering == null || !answering.headersSent)) {
      const body = JSON.stringify(toEnvelope(gatewayError, 'req_none'));
      socket.write(
        `HTTP/1.1 ${gatewayError.status} ${gatewayError.status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nx-gateway-error-source: gateway\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
