import type { ChatRequest, EmbeddingRequest } from '../adapters/types.js';
import type { CatalogModel, DeploymentRoute } from '../catalog/model-catalog.js';
import { isGatewayError, type GatewayError } from '../errors.js';

export type CheckedRequest = { endpoint: 'chat'; request: ChatRequest } | { endpoint: 'embeddings'; request: EmbeddingRequest };

/** Runs one deployment's check; resolves to its refusal, or `undefined` when it takes the request. */
async function refusalOf(route: DeploymentRoute, model: CatalogModel, checked: CheckedRequest): Promise<GatewayError | undefined> {
  const options = { upstreamModel: route.upstreamModel, dropParams: model.dropParams };
  const { adapter } = route;
  try {
    if (checked.endpoint === 'chat') await adapter.checkChat?.(checked.request, options);
    else await adapter.checkEmbed?.(checked.request, options);
    return undefined;
  } catch (error) {
    // Only the request's own fault is a refusal. Anything else (an SDK that cannot be loaded)
    // is the call's to meet, where the invoker falls back past it as it would past a failed call.
    if (isGatewayError(error) && error.layer === 'request') return error;
    return undefined;
  }
}

/**
 * The model's deployments whose adapter accepts this request, before it counts against any limit
 * or reaches a provider. A model routed to providers that differ in what they honour sends the
 * call only where it can be served, instead of failing or not by the weighted draw. When no
 * deployment accepts it, the refusal of the first by priority is thrown: the 400 the caller
 * would have had from it.
 */
export async function deploymentsAccepting(model: CatalogModel, checked: CheckedRequest): Promise<readonly DeploymentRoute[]> {
  const refusals = await Promise.all(model.deployments.map((route) => refusalOf(route, model, checked)));
  if (refusals.every((refusal) => refusal === undefined)) return model.deployments;
  const accepting = model.deployments.filter((_route, index) => refusals[index] === undefined);
  if (accepting.length > 0) return accepting;
  const byPriority = model.deployments.map((route, index) => ({ priority: route.priority, refusal: refusals[index] }));
  byPriority.sort((a, b) => a.priority - b.priority);
  throw byPriority[0]?.refusal;
}
