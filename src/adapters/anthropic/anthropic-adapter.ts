import Anthropic from '@anthropic-ai/sdk';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { createProviderFetch } from '../shared/provider-fetch.js';
import type { AdapterFactory, CallOptions, ChatResult, StreamEvent } from '../types.js';
import { anthropicStreamEvents } from './anthropic-stream.js';
import { buildAnthropicRequest } from './build-anthropic-request.js';
import { convertAnthropicResponse } from './convert-anthropic-response.js';
import { mapAnthropicError } from './map-anthropic-error.js';

const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/**
 * The gateway owns timeouts (it aborts our signal), so the SDK's own timer is set far out of the
 * way, below 2^31 ms where Node's setTimeout would fire at once. Passing it on every request also
 * keeps the SDK from refusing a non-streamed call with a large max_tokens ("Streaming is
 * required…"), a check it only makes when no timeout is given.
 */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/**
 * Anthropic-compatible servers may need no key, but without one the SDK goes looking for
 * credentials of its own (environment variables, profile files) and fails when it finds none;
 * this placeholder is sent as the x-api-key instead and ignored by such servers.
 */
const PLACEHOLDER_API_KEY = 'no-key-configured';

function requestOptions(options: CallOptions): Anthropic.RequestOptions {
  return { signal: options.signal, timeout: SDK_TIMEOUT_MS, headers: { 'x-request-id': options.requestId } };
}

/**
 * The `anthropic` provider kind: OpenAI chat requests translated to the Messages API
 * (`@anthropic-ai/sdk` 0.x, API version 2023-06-01, `x-api-key` auth). Anthropic has no
 * embeddings, so `embed` is absent.
 */
export const createAnthropicAdapter: AdapterFactory = (settings) => {
  // One client per provider: it keeps its connections alive between calls. The base URL and the
  // credentials are always given explicitly: the SDK would otherwise read ANTHROPIC_BASE_URL,
  // ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN from the gateway's own environment.
  const transport = createProviderFetch();
  const client = new Anthropic({
    apiKey: settings.apiKey !== undefined && settings.apiKey !== '' ? settings.apiKey : PLACEHOLDER_API_KEY,
    authToken: null,
    baseURL: settings.baseUrl !== undefined && settings.baseUrl !== '' ? settings.baseUrl : ANTHROPIC_BASE_URL,
    maxRetries: 0, // the gateway decides about retries and fallbacks itself
    fetch: transport.fetch,
    timeout: SDK_TIMEOUT_MS,
    logLevel: 'off', // failures reach the gateway as errors, which it logs with the request's context
  });

  return {
    close: () => transport.close(),

    // The whole translation, the answer discarded: it needs nothing but the request.
    checkChat(request, options) {
      buildAnthropicRequest(request, options, settings);
    },

    async chat(request, options): Promise<ChatResult> {
      const plan = buildAnthropicRequest(request, options, settings);
      let message: Message;
      try {
        message = await client.messages.create({ ...plan.params, stream: false }, requestOptions(options));
      } catch (error) {
        throw mapAnthropicError(error, options.signal, 'request');
      }
      return convertAnthropicResponse(message, plan.answerToolName);
    },

    async chatStream(request, options): Promise<AsyncIterable<StreamEvent>> {
      const plan = buildAnthropicRequest(request, options, settings);
      let events: AsyncIterable<RawMessageStreamEvent>;
      try {
        // Resolves once Anthropic answered 200 with its headers: an HTTP error rejects here,
        // before the gateway commits to a streamed 200 of its own.
        events = await client.messages.create({ ...plan.params, stream: true }, requestOptions(options));
      } catch (error) {
        throw mapAnthropicError(error, options.signal, 'request');
      }
      return anthropicStreamEvents(events, options.signal, plan.answerToolName);
    },
  };
};
