import { GoogleGenerativeAI, type GenerateContentRequest, type GenerativeModel } from '@google/generative-ai';
import type { AdapterFactory, CallOptions, ChatResult, StreamEvent } from '../types.js';
import { buildGeminiRequest } from './build-gemini-request.js';
import { checkGeminiChatRequest } from './check-gemini-request.js';
import type { ContentsContext } from './convert-to-gemini-contents.js';
import { convertGeminiResponse } from './convert-gemini-response.js';
import { buildEmbedRequests, embedWithGemini } from './gemini-embeddings.js';
import { geminiStreamEvents } from './gemini-stream.js';
import type { GeminiGenerateRequest, GeminiResponse } from './gemini-wire-types.js';
import { mapGeminiCallError, mapGeminiError } from './map-gemini-error.js';
import { ThoughtSignatureStore } from './thought-signatures.js';

const API_VERSION = 'v1beta';

/**
 * The body is built with the wire types of gemini-wire-types.ts, which the REST API accepts but
 * the 0.24.1 SDK types do not list (thoughtSignature, seed, free-form schemas). The SDK
 * serialises the object as given, so only its type is converted here.
 */
function asSdkRequest(body: GeminiGenerateRequest): GenerateContentRequest {
  return body as unknown as GenerateContentRequest;
}

/**
 * Google Gemini (v1beta) through `@google/generative-ai`. `settings.baseUrl` is the bare origin
 * (DESIGN §7). The SDK never retries; the gateway's invoker decides on fallback. Each adapter
 * instance owns the thought signatures of the tool calls it issued (thought-signatures.ts).
 */
export const createGeminiAdapter: AdapterFactory = (settings) => {
  const client = new GoogleGenerativeAI(settings.apiKey ?? '');
  // The SDK appends `/v1beta/models/…` to the base URL verbatim: a trailing slash would double.
  const baseUrl = settings.baseUrl?.replace(/\/+$/, '');
  const signatures = new ThoughtSignatureStore();

  function modelFor(options: CallOptions): GenerativeModel {
    return client.getGenerativeModel(
      { model: options.upstreamModel },
      { ...(baseUrl ? { baseUrl } : {}), apiVersion: API_VERSION, customHeaders: { 'x-request-id': options.requestId } },
    );
  }

  function contentsContext(options: CallOptions): ContentsContext {
    return {
      fetchImage: settings.fetchImage,
      signal: options.signal,
      signatureForReplay: (toolCallId) => signatures.signatureForReplay(toolCallId),
    };
  }

  async function upstream<T>(options: CallOptions, send: () => Promise<T>): Promise<T> {
    try {
      // The SDK only listens for a *future* abort: a signal that already fired would go unheeded.
      options.signal.throwIfAborted();
      return await send();
    } catch (error) {
      throw mapGeminiCallError(error, options.signal);
    }
  }

  return {
    checkChat: (request, options) => checkGeminiChatRequest(request, options, settings.fetchImage !== undefined),

    checkEmbed(request, options) {
      buildEmbedRequests(request, options);
    },

    async chat(request, options): Promise<ChatResult> {
      const body = await buildGeminiRequest(request, options, contentsContext(options));
      const result = await upstream(options, () => modelFor(options).generateContent(asSdkRequest(body), { signal: options.signal }));
      return convertGeminiResponse(result.response as GeminiResponse, signatures);
    },

    async chatStream(request, options): Promise<AsyncIterable<StreamEvent>> {
      const body = await buildGeminiRequest(request, options, contentsContext(options));
      // Resolves once Gemini answered 200: an HTTP error rejects here, before any event.
      const result = await upstream(options, () => modelFor(options).generateContentStream(asSdkRequest(body), { signal: options.signal }));
      // The SDK tees the stream into this aggregate; unobserved, its rejection would crash Node.
      result.response.catch(() => {});
      return mappedErrors(geminiStreamEvents(result.stream as AsyncIterable<GeminiResponse>, signatures), options.signal);
    },

    async embed(request, options) {
      const requests = buildEmbedRequests(request, options);
      return upstream(options, () => embedWithGemini(modelFor(options), requests, { signal: options.signal }));
    },
  };
};

async function* mappedErrors(events: AsyncIterable<StreamEvent>, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  try {
    yield* events;
  } catch (error) {
    throw mapGeminiError(error, signal);
  }
}
