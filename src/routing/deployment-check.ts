import type { ChatRequest, EmbeddingRequest } from '../adapters/types.js';
import type { CatalogModel, DeploymentRoute } from '../catalog/model-catalog.js';
import { isGatewayError, type GatewayError } from '../errors.js';

export type CheckedRequest = { endpoint: 'chat'; request: ChatRequest } | { endpoint: 'embeddings'; request: EmbeddingRequest };

/** What one deployment's check said: nothing (it takes the request), its refusal, or a crash. */
type Verdict = { kind: 'accepts' } | { kind: 'refuses'; error: GatewayError } | { kind: 'crashed'; error: unknown };

const accepts: Verdict = { kind: 'accepts' };

async function verdictOf(route: DeploymentRoute, model: CatalogModel, checked: CheckedRequest): Promise<Verdict> {
  const options = { upstreamModel: route.upstreamModel, dropParams: model.dropParams };
  const { adapter } = route;
  try {
    if (checked.endpoint === 'chat') await adapter.checkChat?.(checked.request, options);
    else await adapter.checkEmbed?.(checked.request, options);
    return accepts;
  } catch (error) {
    if (isGatewayError(error)) {
      // Only the request's own fault is a refusal. Any other gateway error (an SDK that cannot be
      // loaded) is the call's to meet, where the invoker falls back past it as past a failed call.
      return error.layer === 'request' ? { kind: 'refuses', error } : accepts;
    }
    // A plain error is a bug in the adapter's translation of this request, which the call would
    // meet again after the limits had counted it: the deployment is left out as if it refused.
    return { kind: 'crashed', error };
  }
}

/**
 * The model's deployments whose adapter accepts this request, before it counts against any limit
 * or reaches a provider. A model routed to providers that differ in what they honour sends the
 * call only where it can be served, instead of failing or not by the weighted draw. When no
 * deployment accepts it, what the first by priority said is thrown: the 400 the caller would
 * have had from it, or its adapter's crash (a 500, before anything counted). `onCrash` hears
 * of every other crash: a deployment left out, the call served or refused by another.
 */
export async function deploymentsAccepting(
  model: CatalogModel,
  checked: CheckedRequest,
  onCrash: (error: unknown, route: DeploymentRoute) => void = () => {},
): Promise<readonly DeploymentRoute[]> {
  const verdicts = await Promise.all(model.deployments.map((route) => verdictOf(route, model, checked)));
  if (verdicts.every((verdict) => verdict.kind === 'accepts')) return model.deployments;
  const accepting = model.deployments.filter((_route, index) => verdicts[index]?.kind === 'accepts');
  const first = accepting.length > 0 ? undefined : firstByPriority(model.deployments, verdicts);
  verdicts.forEach((verdict, index) => {
    if (verdict.kind === 'crashed' && verdict !== first) onCrash(verdict.error, model.deployments[index] as DeploymentRoute);
  });
  if (first !== undefined) throw first.error;
  return accepting;
}

function firstByPriority(routes: readonly DeploymentRoute[], verdicts: readonly Verdict[]): Exclude<Verdict, { kind: 'accepts' }> {
  const byPriority = routes.map((route, index) => ({ priority: route.priority, verdict: verdicts[index] as Exclude<Verdict, { kind: 'accepts' }> }));
  byPriority.sort((a, b) => a.priority - b.priority);
  return (byPriority[0] as (typeof byPriority)[number]).verdict;
}
