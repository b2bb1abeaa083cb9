import type { CallOptions, ChatRequest, ChatResult, EmbeddingRequest, EmbeddingResult, StreamEvent } from '../adapters/types.js';
import type { CatalogModel, DeploymentRoute } from '../catalog/model-catalog.js';
import { GatewayError, isGatewayError, type ErrorCode } from '../errors.js';
import type { CallRecord } from './call-record.js';
import { orderDeployments } from './order-deployments.js';
import { UpstreamDeadline } from './upstream-deadline.js';

/** Failures another deployment may not share: worth trying the next one before giving up. */
const fallbackCodes: ReadonlySet<ErrorCode> = new Set([
  'upstream_error',
  'upstream_unreachable',
  'upstream_rate_limited',
  'upstream_timeout',
  'upstream_auth_failed',
  // Only the lazy adapter raises it here: this deployment's SDK cannot be loaded, another's may.
  'service_unavailable',
]);

export interface InvocationContext {
  requestId: string;
  /** Aborted when the client goes away. */
  clientSignal: AbortSignal;
  record: CallRecord;
  /** The model's deployments that accept the request (routing/deployment-check.ts); all of them when absent. */
  deployments?: readonly DeploymentRoute[];
}

/**
 * Calls a model's deployments in order with fallback, under the upstream deadline. Provider-
 * agnostic: it only knows the adapter interface.
 */
export class Invoker {
  constructor(private readonly timeoutMs: number) {}

  chat(model: CatalogModel, request: ChatRequest, context: InvocationContext): Promise<ChatResult> {
    return this.withFallback(model, context, async (route, options, deadline) => {
      try {
        return await route.adapter.chat(request, options);
      } finally {
        deadline.dispose();
      }
    });
  }

  embed(model: CatalogModel, request: EmbeddingRequest, context: InvocationContext): Promise<EmbeddingResult> {
    return this.withFallback(model, context, async (route, options, deadline) => {
      try {
        if (route.adapter.embed === undefined) {
          throw new GatewayError('model_not_found', `The model '${model.name}' is routed to a provider without embeddings.`, {
            param: 'model',
            hint: 'A platform admin must route this embedding model to a provider that has embeddings.',
          });
        }
        return await route.adapter.embed(request, options);
      } finally {
        deadline.dispose();
      }
    });
  }

  /** Resolves once a provider accepted the stream; the events then run under the same deadline. */
  openChatStream(model: CatalogModel, request: ChatRequest, context: InvocationContext): Promise<AsyncIterable<StreamEvent>> {
    return this.withFallback(model, context, async (route, options, deadline) => {
      let events: AsyncIterable<StreamEvent>;
      try {
        events = await route.adapter.chatStream(request, options);
      } catch (error) {
        deadline.dispose();
        throw error;
      }
      deadline.rearm();
      return guardStream(events, deadline);
    });
  }

  private async withFallback<T>(
    model: CatalogModel,
    context: InvocationContext,
    attempt: (route: DeploymentRoute, options: CallOptions, deadline: UpstreamDeadline) => Promise<T>,
  ): Promise<T> {
    const routes = orderDeployments(context.deployments ?? model.deployments);
    let lastError: unknown;
    for (const [index, route] of routes.entries()) {
      const deadline = new UpstreamDeadline(context.clientSignal, this.timeoutMs);
      const started = performance.now();
      context.record.attempts += 1;
      context.record.providerName = route.providerName;
      context.record.upstreamModel = route.upstreamModel;
      try {
        const result = await attempt(
          route,
          { signal: deadline.signal, requestId: context.requestId, upstreamModel: route.upstreamModel, dropParams: model.dropParams },
          deadline,
        );
        context.record.upstreamLatencyMs = performance.now() - started;
        return result;
      } catch (raw) {
        context.record.upstreamLatencyMs = performance.now() - started;
        lastError = deadline.explain(raw);
        const canFallBack = isGatewayError(lastError) && fallbackCodes.has(lastError.code) && index < routes.length - 1;
        if (!canFallBack) throw lastError;
      }
    }
    throw lastError;
  }
}

async function* guardStream(events: AsyncIterable<StreamEvent>, deadline: UpstreamDeadline): AsyncGenerator<StreamEvent> {
  try {
    for await (const event of events) {
      deadline.rearm();
      yield event;
    }
  } catch (error) {
    throw deadline.explain(error);
  } finally {
    deadline.dispose();
  }
}
