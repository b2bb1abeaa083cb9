import type { FakeUpstream, ScriptedResponse } from '../../../fake-upstreams/fake-server.js';

/**
 * What the provider-agnostic end-to-end tests need to know about one provider's fake upstream.
 * Each provider's spec lives in its own file; the tests in `provider-end-to-end.ts` run them all.
 */
export interface ProviderSpec {
  kind: 'openai' | 'anthropic' | 'gemini';
  /** The upstream model name the deployment uses. */
  upstreamModel: string;
  start(): Promise<FakeUpstream>;
  /** The recorded stream replayed verbatim, and the tool call it must yield. */
  fixtureStream(): ScriptedResponse;
  fixtureToolCall: { name: string; arguments: unknown };
  /** The fixture's usage as OpenAI reports it. */
  fixtureUsage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** An HTTP error in the provider's own shape. */
  httpError(status: number, message: string, headers?: Record<string, string>): ScriptedResponse;
  /** An invalid-credential answer (Gemini's is a 400, not a 401). */
  credentialError(): ScriptedResponse;
  /** A 200 stream that fails after one text piece, in the provider's own framing, with `message` as the provider's words. */
  midStreamError(message?: string): ScriptedResponse;
  /** A 200 stream that sends one text piece and then ends, without the provider's own end of answer. */
  truncatedStream(): ScriptedResponse;
  /** A 200 stream that sends one text piece every `delayMs` for a long time. */
  slowStream(delayMs: number): ScriptedResponse;
  /** The upstream path of a chat call (to find it among recorded requests). */
  chatPath: RegExp;
  /** Where the tool result of a round trip sits in the translated upstream body. */
  toolResultIn(body: unknown): string | undefined;
  /** The names of the tools offered in the translated upstream body. */
  toolNamesIn(body: unknown): string[];
  /** The provider takes OpenAI's `tool_choice: {type: 'allowed_tools'}` itself; else the gateway narrows `tools`. */
  allowedToolsNative: boolean;
  embeddings: boolean;
}
