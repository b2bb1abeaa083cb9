import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One access line per request where Fastify writes two: the arrival line moves to `debug`, and
 * the completion line carries the request (method, URL, client address) besides the status and
 * the response time, as an access log does. It halves the log volume and its cost per call; the
 * call log still keeps the full record of every /v1 call.
 */
export class AccessLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
