import OpenAI from 'openai';
import { createProviderFetch } from '../shared/provider-fetch.js';
import type { AdapterFactory, CallOptions, ChatResult, EmbeddingResult, StreamEvent } from '../types.js';
import { buildChatParams, buildEmbeddingParams, buildStreamingChatParams } from './build-openai-request.js';
import { convertOpenAIEmbeddings } from './convert-openai-embeddings.js';
import { convertOpenAIResponse } from './convert-openai-response.js';
import { mapOpenAIError } from './map-openai-error.js';
import { openAIStreamEvents } from './openai-stream.js';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * The gateway owns timeouts (its UpstreamDeadline aborts our signal), so the SDK's own timer is
 * set far out of the way. It must stay below 2^31 ms, where Node's setTimeout would fire at once.
 */
const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/**
 * Some OpenAI-compatible servers (vLLM, Ollama, llama.cpp…) need no key, but the SDK refuses to
 * start without one; this placeholder is then sent as the bearer token and ignored by them.
 */
const PLACEHOLDER_API_KEY = 'no-key-configured';

function requestOptions(options: CallOptions): OpenAI.RequestOptions {
  return { signal: options.signal, headers: { 'x-request-id': options.requestId } };
}

/**
 * The `openai` and `openai-compatible` provider kinds: the request is already OpenAI-shaped, so
 * it is passed through (unknown parameters included) with the upstream model name.
 */
export const createOpenAIAdapter: AdapterFactory = (settings) => {
  // One client per provider: it keeps its connections alive between calls. Every option the SDK
  // would otherwise read from the environment (OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_ORG_ID…)
  // is set explicitly, so the gateway's own environment never leaks into a provider's calls.
  const transport = createProviderFetch();
  const client = new OpenAI({
    apiKey: settings.apiKey !== undefined && settings.apiKey !== '' ? settings.apiKey : PLACEHOLDER_API_KEY,
    adminAPIKey: null,
    organization: null,
    project: null,
    baseURL: settings.baseUrl !== undefined && settings.baseUrl !== '' ? settings.baseUrl : OPENAI_BASE_URL,
    maxRetries: 0, // the gateway decides about retries and fallbacks itself
    fetch: transport.fetch,
    timeout: SDK_TIMEOUT_MS,
    logLevel: 'off', // failures reach the gateway as errors, which it logs with the request's context
  });

  return {
    close: () => transport.close(),

    async chat(request, options): Promise<ChatResult> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(buildChatParams(request, options), requestOptions(options));
      } catch (error) {
        throw mapOpenAIError(error, options.signal, 'request');
      }
      return convertOpenAIResponse(completion);
    },

    async chatStream(request, options): Promise<AsyncIterable<StreamEvent>> {
      let chunks: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>;
      try {
        // Resolves once the provider answered 200 with its headers: an HTTP error rejects here,
        // before the gateway commits to a streamed 200 of its own.
        chunks = await client.chat.completions.create(buildStreamingChatParams(request, options), requestOptions(options));
      } catch (error) {
        throw mapOpenAIError(error, options.signal, 'request');
      }
      return openAIStreamEvents(chunks, options.signal);
    },

    async embed(request, options): Promise<EmbeddingResult> {
      let response: OpenAI.CreateEmbeddingResponse;
      try {
        response = await client.embeddings.create(buildEmbeddingParams(request, options), requestOptions(options));
      } catch (error) {
        throw mapOpenAIError(error, options.signal, 'request');
      }
      return convertOpenAIEmbeddings(response);
    },
  };
};
