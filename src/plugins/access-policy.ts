import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isGatewayError } from '../errors.js';
import type { AccessDecision, AccessEndpoint, AccessQuery, AccessView, Credential, Principal } from '../policy/chain-types.js';
import { ChainRun, evaluate } from '../policy/decision-chain.js';
import { DenialCounter } from '../policy/denial-counter.js';
import { KeyUsageTracker } from '../policy/key-usage-tracker.js';
import { loadPolicySnapshot, type PolicySnapshot } from '../policy/policy-snapshot.js';
import { credentialFrom } from '../policy/request-credential.js';
import { authenticate } from '../policy/steps/authenticate.js';

export interface AccessPolicy {
  /** The state decisions are taken on right now. */
  view(): AccessView;
  snapshot(): PolicySnapshot;
  /** The whole chain for one query (dry runs, /v1/models). */
  evaluate(query: AccessQuery): AccessDecision;
  /** The caller behind a credential, or the 401 of the auth step (whoami). */
  identify(credential: Credential): Principal;
  /** Writes `last_used_at` of the keys used since the last flush now (it runs every minute and at shutdown). */
  flushKeyUsage(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    accessPolicy: AccessPolicy;
    /** Live calls refused by the decision chain, by layer and code (read by the metrics exporter). */
    policyDenials: DenialCounter;
  }
  interface FastifyRequest {
    /** The decision chain of this call, on the routes it guards. */
    access: ChainRun | null;
  }
}

/** The invocation routes the chain guards, and the endpoint (and scope) each one is. */
const guardedRoutes: Readonly<Record<string, AccessEndpoint>> = {
  '/v1/chat/completions': 'chat',
  '/v1/embeddings': 'embeddings',
  '/v1/models': 'models',
  '/v1/models/*': 'models',
};

export interface AccessPolicyOptions {
  /** How often `api_keys.last_used_at` is written (default one minute). */
  lastUsedFlushMs?: number;
}

function requestedModel(body: unknown): string | undefined {
  const model = typeof body === 'object' && body !== null ? (body as { model?: unknown }).model : undefined;
  return typeof model === 'string' ? model : undefined;
}

/** What the trace says about a request refused between the two phases (schema, JSON, size). */
function requestDenialDetail(error: FastifyError): string {
  if (error.validation) return `the request does not match its schema (${error.validationContext ?? 'body'})`;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'the request body is too large';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'the request body is not JSON';
  return 'the request body could not be read as JSON';
}

/**
 * The decision chain on the invocation API (DESIGN §1). Identity steps (key, consumer, tenant,
 * IP) run in onRequest, before a byte of the body is read, so an unauthenticated caller cannot
 * make the gateway parse a large body and gets its 401 first. The other steps (model, scope,
 * permission, subscription) run in preHandler, once Fastify has parsed and validated the body.
 * That keeps DESIGN order: a suspended tenant asking for an unknown model is `tenant_suspended`.
 */
export default fp(
  async function accessPolicy(fastify: FastifyInstance, options: AccessPolicyOptions) {
    let snapshot = loadPolicySnapshot(fastify.db);
    // Every admin write: the next call decides on the new state. (The catalog is read per decision,
    // so a catalog rebuilt by the model router is seen too.)
    fastify.onStateChange(() => {
      snapshot = loadPolicySnapshot(fastify.db);
    });
    const view = (): AccessView => ({ policy: snapshot, catalog: fastify.catalog });
    const denials = new DenialCounter();
    const usage = new KeyUsageTracker(fastify.sqlite);
    const flushUsage = () => {
      try {
        usage.flush();
      } catch (error) {
        fastify.log.warn({ err: error }, 'could not record when keys were last used');
      }
    };
    const flushTimer = setInterval(flushUsage, options.lastUsedFlushMs ?? 60_000).unref();
    // Registered after storage, so this runs before the database closes.
    fastify.addHook('onClose', async () => {
      clearInterval(flushTimer);
      flushUsage();
    });

    fastify.decorate('policyDenials', denials);
    fastify.decorate('accessPolicy', {
      view,
      snapshot: () => snapshot,
      evaluate: (query: AccessQuery) => evaluate(view(), query),
      identify(credential: Credential): Principal {
        const run = new ChainRun({ view: view(), query: { credential, endpoint: 'models' }, now: Date.now() }, [authenticate]).run();
        if (run.denial !== null) throw run.denial;
        return run.context.principal as Principal;
      },
      flushKeyUsage: flushUsage,
    } satisfies AccessPolicy);
    fastify.decorateRequest('access', null);

    const refuse = (run: ChainRun): void => {
      const error = run.denial;
      if (error === null) return;
      denials.record(error.layer, error.code);
      throw error;
    };

    fastify.addHook('onRequest', async (request) => {
      const route = request.routeOptions.url;
      const endpoint = route === undefined ? undefined : guardedRoutes[route];
      if (endpoint === undefined) return;
      const now = Date.now();
      const run = new ChainRun({ view: view(), query: { credential: credentialFrom(request.headers, request.url), endpoint, ip: request.ip }, now }).run('before-body');
      request.access = run;
      const call = request.call;
      call.endpoint = endpoint;
      call.decisionTrace = run.steps;
      const principal = run.context.principal;
      if (principal !== undefined) {
        call.tenantId = principal.tenant.id;
        call.consumerId = principal.consumer.id;
        call.keyId = principal.key.id;
        usage.touch(principal.key.id, now);
      }
      refuse(run);
    });

    fastify.addHook('preHandler', async (request) => {
      const run = request.access;
      if (run === null) return;
      const query = run.context.query;
      // Listing and retrieving models check the `models` scope here; each model is judged by the route.
      const model = query.endpoint === 'models' ? undefined : requestedModel(request.body);
      if (model !== undefined) request.call.requestedModel = model;
      run.context.query = { ...query, model, requestChecked: true };
      run.run('after-body');
      refuse(run);
    });

    // Runs before the error handler: a request refused between the phases gets its `request` step,
    // and so does one refused after the chain by the provider's adapter (a parameter only it can
    // judge), whose trace would otherwise show every step passed.
    fastify.addHook('onError', async (request, _reply, error) => {
      const run = request.access;
      if (run === null || run.denial !== null || run.steps.some((step) => step.layer === 'request' && step.outcome === 'deny')) return;
      if (isGatewayError(error)) {
        if (error.layer === 'request') run.steps.push({ layer: 'request', outcome: 'deny', detail: error.message });
        return;
      }
      if (run.steps.some((step) => step.layer === 'request')) return;
      const status = (error as FastifyError).statusCode ?? 500;
      if (status >= 400 && status < 500) run.steps.push({ layer: 'request', outcome: 'deny', detail: requestDenialDetail(error as FastifyError) });
    });
  },
  { name: 'access-policy', dependencies: ['storage', 'state-events', 'model-router', 'request-context'] },
);
