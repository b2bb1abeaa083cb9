import type { CatalogModel } from '../catalog/model-catalog.js';
import type { CallRecord } from '../routing/call-record.js';
import { AuthFailureSampler, isUnauthenticatedFailure } from './auth-failure-sampler.js';
import { captureBody } from './body-capture.js';
import { callCostUsd } from './call-cost.js';
import { buildCallLogRow } from './call-log-row.js';
import type { CallLogWrite } from './call-log-writer.js';

/** How long a finished response waits for its stream to wind down before the row is written anyway. */
export const STREAM_SETTLE_TIMEOUT_MS = 5_000;

/** What the HTTP layer knows about a call when its response has ended (or its client has left). */
export interface EndedCall {
  requestId: string;
  startedAt: number;
  call: CallRecord;
  statusCode: number;
  /** The client went away before the answer ended. */
  cancelled: boolean;
  latencyMs: number;
  clientIp: string | null;
  userAgent: string | null;
  /** Only when bodies are captured: the parsed request body and the JSON reply payload. */
  requestBody?: unknown;
  responsePayload?: unknown;
}

export interface CallLogRecorderOptions {
  writer: { enqueue(write: CallLogWrite): void };
  sampler: AuthFailureSampler;
  findModel(name: string): CatalogModel | undefined;
  capturesBodies: boolean;
  onError(error: unknown): void;
}

/** Resolves when `promise` settles or after `ms`, whichever is first, leaving no timer behind. */
function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/**
 * Turns ended calls into queued rows: waits for a stream to finish its bookkeeping, prices the
 * usage, captures bodies when enabled, samples unauthenticated failures. Tracks the calls still
 * settling so shutdown can wait for them before the last flush.
 */
export class CallLogRecorder {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: CallLogRecorderOptions) {}

  get pendingCalls(): number {
    return this.pending.size;
  }

  /** Records the call; the promise resolves once its row is queued (never rejects). */
  record(ended: EndedCall): Promise<void> {
    const streamEnded = ended.call.streamEnded;
    if (streamEnded === null) {
      this.queue(ended);
      return Promise.resolve();
    }
    const task = settledWithin(streamEnded, STREAM_SETTLE_TIMEOUT_MS).then(() => this.queue(ended));
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
    return task;
  }

  /** Resolves when every call recorded so far has its row queued. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private queue(ended: EndedCall): void {
    try {
      const { call } = ended;
      if (call.usage !== null && call.requestedModel !== null) {
        call.costUsd = callCostUsd(call.usage, this.options.findModel(call.requestedModel)?.pricing ?? null);
      }
      const row = buildCallLogRow({
        requestId: ended.requestId,
        startedAt: ended.startedAt,
        call,
        statusCode: ended.statusCode,
        cancelled: ended.cancelled,
        latencyMs: ended.latencyMs,
        clientIp: ended.clientIp,
        userAgent: ended.userAgent,
        requestBody: this.options.capturesBodies ? captureBody(ended.requestBody) : null,
        responseBody: this.options.capturesBodies ? captureBody(responseBodyOf(ended)) : null,
      });
      if (isUnauthenticatedFailure(row) && !this.options.sampler.admit(row)) return;
      this.options.writer.enqueue({ kind: 'insert', row });
    } catch (error) {
      // A bug here must never fail the call (it is already answered): log it and go on.
      this.options.onError(error);
    }
  }
}

/** A stream's body is the text it streamed (the SSE frames would mostly repeat the envelope). */
function responseBodyOf(ended: EndedCall): unknown {
  if (ended.call.streamedText !== null) return { stream: true, text: ended.call.streamedText };
  return ended.responsePayload;
}
