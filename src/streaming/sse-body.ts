import type { StreamEvent } from '../adapters/types.js';
import { GatewayError, isGatewayError, toEnvelope } from '../errors.js';
import { ClientClosedRequest } from '../routing/upstream-deadline.js';
import type { ChunkEncoder } from './chunk-encoder.js';

export interface SseBodyHooks {
  requestId: string;
  /** Called once, when the first content event arrives (time to first token). */
  onFirstToken(): void;
  /** Called when the stream ends for any reason (the call log reads the encoder then). */
  onEnd(outcome: { error: GatewayError | null; cancelled: boolean }): void;
  /** Unexpected failures are logged by the caller; the client only gets the envelope. */
  onUnexpectedError(error: unknown): void;
}

function frame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/**
 * The SSE body of a chat stream: OpenAI chunks, then `data: [DONE]`. After the 200 has been
 * sent an error can only travel in-band: one `data: {"error": …}` event, then the end.
 */
export async function* sseBody(events: AsyncIterable<StreamEvent>, encoder: ChunkEncoder, hooks: SseBodyHooks): AsyncGenerator<string> {
  let firstToken = true;
  let error: GatewayError | null = null;
  let cancelled = false;
  try {
    for await (const event of events) {
      if (firstToken && event.type !== 'usage') {
        firstToken = false;
        hooks.onFirstToken();
      }
      for (const chunk of encoder.encode(event)) yield frame(chunk);
    }
    for (const chunk of encoder.end()) yield frame(chunk);
    yield 'data: [DONE]\n\n';
  } catch (raw) {
    if (raw instanceof ClientClosedRequest) {
      cancelled = true;
      return;
    }
    if (isGatewayError(raw)) {
      error = raw;
    } else {
      hooks.onUnexpectedError(raw);
      error = new GatewayError('internal_error', 'The gateway failed while streaming the answer.', { cause: raw });
    }
    yield frame(toEnvelope(error, hooks.requestId));
  } finally {
    hooks.onEnd({ error, cancelled });
  }
}
