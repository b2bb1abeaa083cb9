import { pino, type DestinationStream } from 'pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { FastifyHttpOptions, FastifyServerOptions } from 'fastify';
import { GatewayError } from './errors.js';
import { clientErrorHandler } from './client-error.js';
import { sendGatewayError } from './plugins/error-handler.js';
import type { Env } from './config/env.js';
import { AccessLogController } from './logging/access-log-controller.js';
import { requestLogValue } from './logging/request-log-value.js';
import type { SchemaCompilers } from './plugins/validation.js';

/**
 * The one options object shared by `server.ts` and the test helper: the validated environment
 * and the Fastify server options derived from it.
 */
export interface GatewayOptions {
  env: Env;
  /** Overrides the pino logger (tests pass `false`). */
  logger?: FastifyServerOptions['logger'];
  /** Where the gateway's own logger writes (default: stdout); tests read its lines here. */
  logStream?: DestinationStream;
  /** Route-schema validators shared by the gateways one process builds (the tests); unset: the gateway compiles its own. */
  schemaCompilers?: SchemaCompilers;
}

/** Ids in paths are far shorter; Fastify's own default, stated here so the error can name it. */
const MAX_PATH_PARAMETER_LENGTH = 100;

const wellFormedRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's well-formed `x-request-id` is kept, so a trace spans client, gateway and provider. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && wellFormedRequestId.test(given)) return given;
  // Time-ordered (ms timestamp first, then 20 hex digits of a random UUID, 74 random bits): log
  // rows insert at the end of the request-id index instead of at random places, which roughly
  // doubles the writer's throughput. randomUUID draws from a cached entropy pool; randomBytes
  // asked the system for every id and showed in the benchmark's profile.
  const random = randomUUID();
  return `req_${Date.now().toString(16).padStart(12, '0')}${random.slice(0, 8)}${random.slice(9, 13)}${random.slice(14, 18)}${random.slice(19, 23)}`;
}

/** Never logged, wherever they appear. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-goog-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
];

/**
 * Where the server log goes: stdout, written asynchronously so that a log line never blocks the
 * event loop on a slow reader (a pipe whose reader lagged stalled every call in the benchmark).
 *
 * Lines are gathered up to `minLength` bytes, and whatever is gathered goes out every
 * `periodicFlush` ms. Unbuffered, every access line was its own write on libuv's thread pool:
 * a thread wake-up, the write, and a wake-up of the event loop, per call; at one connection,
 * with the call log's longer hand-over, about a tenth of the CPU per call (README, Performance).
 * A line reaches stdout at most `periodicFlush` ms late; pino writes what is gathered when the
 * process exits (a crash included), so only a SIGKILL can lose the last lines.
 */
export const LOG_DESTINATION = { dest: 1, sync: false, minLength: 4_096, periodicFlush: 100 } as const;

export function serverOptions(options: GatewayOptions): FastifyHttpOptions<Server> {
  return {
    logger: options.logger ?? {
      level: options.env.LOG_LEVEL,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers: { req: requestLogValue },
      stream: options.logStream ?? pino.destination(LOG_DESTINATION),
    },
    genReqId: requestIdFor,
    logController: new AccessLogController(),
    bodyLimit: options.env.GATEWAY_MAX_BODY_BYTES,
    // How long a client may take to send its whole request (headers and body); the answer is
    // not timed by it, so streams run as long as their upstream deadline allows. Node checks it
    // every `connectionsCheckingInterval`, so the interval follows the limit, and enforces it
    // only while the headers' own limit is no longer than it.
    requestTimeout: options.env.GATEWAY_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(60_000, options.env.GATEWAY_REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(options.env.GATEWAY_REQUEST_TIMEOUT_MS / 4))),
    },
    clientErrorHandler: clientErrorHandler(options.env.GATEWAY_REQUEST_TIMEOUT_MS),
    forceCloseConnections: 'idle',
    // connection-drain refuses calls that arrive while draining, with the envelope and a log row.
    return503OnClosing: false,
    // A path Fastify cannot even route (bad percent-encoding, an over-long parameter) still gets
    // the catalogue's envelope, not Fastify's own error body.
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    frameworkErrors: (error, request, reply) => {
      const problem =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? `has a segment longer than ${MAX_PATH_PARAMETER_LENGTH} characters where an id belongs` : 'has a malformed %-escape (a % must be followed by two hex digits of valid UTF-8)';
      // No hook runs for such a request, request-context's header included.
      reply.header('x-request-id', request.id);
      sendGatewayError(reply, new GatewayError('invalid_request', `The request path ${problem}.`, { hint: 'GET /docs lists the routes.' }));
    },
    // GATEWAY_TRUSTED_PROXIES: the client IP (for IP allow-lists and the call log) as the trusted proxies report it.
    trustProxy: options.env.GATEWAY_TRUSTED_PROXIES,
  };
}
