import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AuthFailureSampler } from '../call-log/auth-failure-sampler.js';
import { CallLogRecorder } from '../call-log/call-log-recorder.js';
import type { CallLogStats } from '../call-log/call-log-writer.js';
import { ThreadedCallLogWriter } from '../call-log/threaded-call-log-writer.js';
import { normalizeClientIp } from '../policy/ip-allow-list.js';
import { fillRequestedFromBody } from '../routing/call-record.js';

export interface CallLogCounters extends CallLogStats {
  /** Unauthenticated failures counted into a sampled row instead of getting their own. */
  readonly suppressedAuthFailures: number;
  /** Ended calls whose row waits for their stream to wind down. */
  readonly pendingCalls: number;
}

export interface CallLog {
  /** GATEWAY_CALL_LOG: false only for benchmarks. */
  readonly enabled: boolean;
  /** GATEWAY_LOG_BODIES. */
  readonly capturesBodies: boolean;
  /** Live numbers for /metrics. */
  readonly stats: CallLogCounters;
  /** Resolves when every call that ended so far is in the database (tests, benchmarks). */
  drain(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    callLog: CallLog;
  }
  interface FastifyRequest {
    /** Set for the calls that get a row (normally in onRequest). */
    callLogTrace: CallTrace | null;
  }
}

interface CallTrace {
  startedAt: number;
  startedMono: number;
  ended: boolean;
  responsePayload: unknown;
}

export interface CallLogOptions {
  enabled: boolean;
  captureBodies: boolean;
  retentionDays: number;
}

/** Sampled 401 rows get their final count this often (the minute they belong to has closed). */
const SAMPLER_SWEEP_MS = 5_000;

/**
 * Only calls of the invocation API get a row. Probes, metrics and docs are not calls; the
 * admin API is traced by the server log (every line carries the requestId), not by the call log.
 */
function isLoggedCall(url: string): boolean {
  return url.startsWith('/v1/');
}

/**
 * The call log: every call under /v1 (allowed, denied, failed, streamed, cancelled) becomes one
 * call_logs row, written off the event loop by the writer thread. A call ends either at
 * onResponse (last byte written) or when its connection closes first (client gone, reply
 * hijacked); whichever comes first records it, once.
 */
export default fp(
  async function callLog(fastify: FastifyInstance, options: CallLogOptions) {
    // Inserts, sampled counts and retention all run in the writer thread, on its own connection.
    const writer = new ThreadedCallLogWriter({ databaseFile: fastify.sqlite.name, log: fastify.log, retentionDays: options.retentionDays });
    const sampler = new AuthFailureSampler((write) => writer.enqueue(write));
    const recorder = new CallLogRecorder({
      writer,
      sampler,
      findModel: (name) => fastify.catalog.find(name),
      capturesBodies: options.captureBodies,
      onError: (error) => fastify.log.error({ err: error }, 'call-log row could not be built'),
    });
    const sweep = setInterval(() => sampler.closeMinutes(Date.now()), SAMPLER_SWEEP_MS).unref();

    const counts = writer.stats;
    const stats: CallLogCounters = {
      get queueDepth() {
        return counts.queueDepth;
      },
      get queueCapacity() {
        return counts.queueCapacity;
      },
      get droppedRows() {
        return counts.droppedRows;
      },
      get writeErrors() {
        return counts.writeErrors;
      },
      get writtenRows() {
        return counts.writtenRows;
      },
      get suppressedAuthFailures() {
        return sampler.suppressed;
      },
      get pendingCalls() {
        return recorder.pendingCalls;
      },
    };
    fastify.decorate('callLog', {
      enabled: options.enabled,
      capturesBodies: options.enabled && options.captureBodies,
      stats,
      async drain() {
        await recorder.settle();
        await writer.drain();
      },
    } satisfies CallLog);
    fastify.decorateRequest('callLogTrace', null);

    /**
     * The call's trace, made on first use: in onRequest normally, later when an onRequest hook
     * registered before this plugin refused the call (the decision chain's 401/403) and ours
     * never ran; the call still gets its row, timed from Fastify's own clock.
     */
    const traceOf = (request: FastifyRequest, reply: FastifyReply): CallTrace | null => {
      if (request.callLogTrace == null && isLoggedCall(request.url)) {
        const elapsed = reply.elapsedTime;
        request.callLogTrace = { startedAt: Date.now() - elapsed, startedMono: performance.now() - elapsed, ended: false, responsePayload: undefined };
      }
      return request.callLogTrace;
    };

    const end = (request: FastifyRequest, reply: FastifyReply, connectionClosed: boolean): Promise<void> | undefined => {
      const trace = traceOf(request, reply);
      if (trace == null || trace.ended) return undefined;
      trace.ended = true;
      const agent = request.headers['user-agent'];
      const cancelled = connectionClosed && !reply.raw.writableFinished;
      const call = request.call;
      fillRequestedFromBody(call, request.body);
      if (cancelled && call.errorCode === null) {
        // The gateway's own doing, and the row says so: cut at the end of the shutdown's grace
        // period, or answered 408 because the request did not arrive in time.
        if (fastify.cuttingConnections) [call.errorCode, call.errorLayer] = ['service_unavailable', 'gateway'];
        else if (fastify.timedOutSockets.has(request.raw.socket)) [call.errorCode, call.errorLayer] = ['request_timeout', 'request'];
      }
      // Through a trusted proxy this is what its X-Forwarded-For says: kept only when it is an address.
      const clientIp = request.ip === undefined ? '' : normalizeClientIp(request.ip);
      return recorder.record({
        requestId: request.id,
        startedAt: trace.startedAt,
        call,
        statusCode: reply.statusCode,
        // The connection closed before the last byte: the client went away (or shutdown cut it).
        cancelled,
        latencyMs: performance.now() - trace.startedMono,
        clientIp: isIP(clientIp) === 0 ? null : clientIp,
        userAgent: typeof agent === 'string' ? agent : null,
        requestBody: options.captureBodies ? request.body : undefined,
        responsePayload: trace.responsePayload,
      });
    };

    if (options.enabled) {
      fastify.addHook('onRequest', async (request, reply) => {
        if (traceOf(request, reply) == null) return;
        reply.raw.once('close', () => void end(request, reply, true));
      });
      if (options.captureBodies) {
        fastify.addHook('onSend', async (request, reply, payload) => {
          const trace = traceOf(request, reply);
          if (trace != null && (typeof payload === 'string' || Buffer.isBuffer(payload))) trace.responsePayload = payload;
          return payload;
        });
      }
      // Returned, so hooks registered later (metrics) see the final usage and cost of a stream.
      fastify.addHook('onResponse', async (request, reply) => end(request, reply, false));
    }

    // Runs before storage closes the database (onClose hooks run in reverse order of registration),
    // after the server stopped and in-flight calls ended.
    fastify.addHook('onClose', async () => {
      clearInterval(sweep);
      await recorder.settle();
      sampler.closeMinutes(Number.POSITIVE_INFINITY);
      await writer.close();
      const { writtenRows, droppedRows, writeErrors } = writer.stats;
      fastify.log.info({ writtenRows, droppedRows, writeErrors }, 'call log flushed');
    });
  },
  { name: 'call-log', dependencies: ['storage', 'request-context', 'model-router'] },
);
