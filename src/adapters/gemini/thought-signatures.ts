import { randomBytes } from 'node:crypto';

/**
 * The documented value that tells Gemini not to validate a function call's thought signature
 * (DESIGN §7): sent for a tool call whose signature this gateway does not hold.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

const DEFAULT_CAPACITY = 10_000;

/** OpenAI-style tool-call id. Gemini sends none, so the gateway makes one per function call. */
export function newToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

/**
 * Gemini 3 rejects a replayed tool-call turn whose functionCall lacks the `thoughtSignature` it
 * came with, and OpenAI's `tool_calls` cannot carry it. So the adapter instance remembers, per
 * tool-call id it issued, the signature that came with it. Bounded: the oldest entries go first,
 * and an id that was evicted (or issued by another gateway instance) gets the sentinel.
 */
export class ThoughtSignatureStore {
  /** id → signature, or null for a call the provider sent unsigned (parallel calls after the first). */
  private readonly signatures = new Map<string, string | null>();

  constructor(private readonly capacity: number = DEFAULT_CAPACITY) {}

  /** Issues a fresh tool-call id for a function call received from Gemini and remembers its signature. */
  issueToolCall(thoughtSignature: string | undefined): string {
    const id = newToolCallId();
    this.signatures.set(id, thoughtSignature ?? null);
    while (this.signatures.size > this.capacity) {
      const oldest = this.signatures.keys().next().value;
      if (oldest === undefined) break;
      this.signatures.delete(oldest);
    }
    return id;
  }

  /**
   * The signature to send when replaying the tool call `id` upstream: the one received, none
   * when Gemini sent the call unsigned, the sentinel when the id is not one this store issued.
   */
  signatureForReplay(id: string): string | undefined {
    if (!this.signatures.has(id)) return SKIP_THOUGHT_SIGNATURE;
    return this.signatures.get(id) ?? undefined;
  }

  get size(): number {
    return this.signatures.size;
  }
}
