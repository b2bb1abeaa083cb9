import { GatewayError } from '../errors.js';

/** The client went away before the answer ended: nothing is sent; the call is logged as 499. */
export class ClientClosedRequest extends Error {
  override name = 'ClientClosedRequest';
  constructor() {
    super('The client closed the connection before the answer ended.');
  }
}

/**
 * One upstream attempt's abort signal: fires when the client goes away, or when the provider
 * is silent for `timeoutMs` (for headers, then between stream chunks: GATEWAY_UPSTREAM_TIMEOUT_MS).
 */
export class UpstreamDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private expired = false;
  private readonly onParentAbort = () => this.controller.abort(this.parent.reason);

  constructor(
    private readonly parent: AbortSignal,
    private readonly timeoutMs: number,
  ) {
    if (parent.aborted) this.controller.abort(parent.reason);
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
    this.rearm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the silence timer: call when the provider has just said something. */
  rearm(): void {
    // Called for every streamed chunk: moving the one timer is cheaper than replacing it.
    if (this.timer !== undefined) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new Error('upstream timeout'));
    }, this.timeoutMs);
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent.removeEventListener('abort', this.onParentAbort);
  }

  /** What an error thrown while this deadline ran really means. */
  explain(error: unknown): unknown {
    if (this.expired) {
      return new GatewayError('upstream_timeout', `The provider did not answer within ${this.timeoutMs} ms.`, {
        hint: 'Retry; if it persists, ask a platform admin to check the provider or GATEWAY_UPSTREAM_TIMEOUT_MS.',
        cause: error,
      });
    }
    if (this.parent.aborted) return new ClientClosedRequest();
    return error;
  }
}
