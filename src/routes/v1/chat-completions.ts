import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatRequest, ChatResult, StreamEvent } from '../../adapters/types.js';
import { ChunkEncoder } from '../../streaming/chunk-encoder.js';
import { sseBody } from '../../streaming/sse-body.js';
import { chatResultText, estimateChatUsage } from '../../usage/estimate-chat-usage.js';
import { chatCompletionsBodySchema } from './chat-completions-schema.js';
import { clientGoneSignal } from './client-signal.js';

function completionId(requestId: string): string {
  return `chatcmpl-${requestId.replace(/^req_/, '')}`;
}

function toChatCompletion(result: ChatResult, requestId: string, model: string, tokensEstimated: boolean) {
  return {
    id: completionId(requestId),
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: result.choices,
    usage: result.usage,
    system_fingerprint: null,
    ...(tokensEstimated ? { tokens_estimated: true } : {}),
  };
}

export default async function chatCompletionsRoutes(fastify: FastifyInstance) {
  fastify.post<{ Body: ChatRequest }>(
    '/v1/chat/completions',
    { schema: { body: chatCompletionsBodySchema } },
    async (request, reply) => {
      const body = request.body;
      const call = request.call;
      call.endpoint = 'chat';
      call.requestedModel = body.model;
      call.stream = body.stream === true;
      const model = fastify.catalog.resolve(body.model, 'chat');
      const context = { requestId: request.id, clientSignal: clientGoneSignal(reply), record: call, deployments: request.deployments ?? model.deployments };

      if (body.stream !== true) {
        const result = await fastify.invoker.chat(model, body, context);
        if (result.usage === null) {
          // No usage from the provider: count what was sent and answered, return it and say so
          // (DESIGN §7), as for a stream; the limits and the cost settle on it.
          result.usage = estimateChatUsage(fastify.tokenCounter, body, chatResultText(result));
          call.tokensEstimated = true;
        }
        call.usage = result.usage;
        return toChatCompletion(result, request.id, model.name, call.tokensEstimated);
      }
      const events = await fastify.invoker.openChatStream(model, body, context);
      return sendStream(fastify, request, reply, events, body);
    },
  );
}

function sendStream(
  fastify: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  events: AsyncIterable<StreamEvent>,
  body: ChatRequest,
) {
  const encoder = new ChunkEncoder(
    completionId(request.id),
    body.model,
    Math.floor(Date.now() / 1000),
    body.stream_options?.include_usage === true,
    (producedText) => estimateChatUsage(fastify.tokenCounter, body, producedText),
  );
  const call = request.call;
  const stream = sseBody(events, encoder, {
    requestId: request.id,
    onFirstToken: () => {
      // From the request's arrival, as the client experiences it (the chain and the upstream's headers included).
      call.ttftMs = reply.elapsedTime;
    },
    onEnd: ({ error, cancelled }) => {
      if (cancelled) call.cancelled = true;
      if (error) {
        call.errorCode = error.code;
        call.errorLayer = error.layer;
      }
      call.usage = encoder.usage;
      if (encoder.usageEstimated) call.tokensEstimated = true;
      if (call.usage === null) {
        // The stream ended before the encoder could count it (cut short, or failed): count what was sent and streamed.
        call.usage = estimateChatUsage(fastify.tokenCounter, body, encoder.producedText());
        call.tokensEstimated = true;
      }
      if (fastify.callLog.capturesBodies) call.streamedText = encoder.producedText();
    },
    onUnexpectedError: (error) => request.log.error({ err: error }, 'unexpected error while streaming'),
  });
  const readable = Readable.from(stream, { objectMode: false });
  // The readable closes only after the generator has finished (onEnd ran), also when the client
  // left mid-stream: the call log waits for this before it reads usage, ttft and the error.
  call.streamEnded = new Promise((resolve) => readable.once('close', () => resolve()));
  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no')
    .send(readable);
}
