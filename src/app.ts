import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import accessPolicy from './plugins/access-policy.js';
import adminAuth from './plugins/admin-auth.js';
import adminBootstrap from './plugins/admin-bootstrap.js';
import callLog from './plugins/call-log.js';
import connectionDrain from './plugins/connection-drain.js';
import deploymentCheck from './plugins/deployment-check.js';
import errorHandler from './plugins/error-handler.js';
import jsonBody from './plugins/json-body.js';
import limits from './plugins/limits.js';
import metrics from './plugins/metrics.js';
import modelRouter from './plugins/model-router.js';
import openapi, { openapiReference } from './plugins/openapi.js';
import overload from './plugins/overload.js';
import requestContext from './plugins/request-context.js';
import stateEvents from './plugins/state-events.js';
import stateSync from './plugins/state-sync.js';
import storage from './plugins/storage.js';
import usage from './plugins/usage.js';
import validation from './plugins/validation.js';
import accessCheckRoutes from './routes/admin/access-check.js';
import adminAccessRoutes from './routes/admin/access-routes.js';
import adminCatalogRoutes from './routes/admin/catalog-routes.js';
import adminLogsRoutes from './routes/admin/logs.js';
import gatewayExplainerRoutes from './routes/gateway/explainers.js';
import healthRoutes from './routes/health.js';
import chatCompletionsRoutes from './routes/v1/chat-completions.js';
import embeddingsRoutes from './routes/v1/embeddings.js';
import modelsRoutes from './routes/v1/models.js';
import { serverOptions, type GatewayOptions } from './options.js';

/** The gateway as a Fastify plugin: everything but listening. */
export const gatewayApp = fp(
  async function gateway(fastify: FastifyInstance, options: GatewayOptions) {
    const { env } = options;
    fastify.decorate('draining', false);
    fastify.decorate('cuttingConnections', false);
    fastify.decorate('timedOutSockets', new WeakSet());
    await fastify.register(validation, { compilers: options.schemaCompilers });
    await fastify.register(requestContext);
    await fastify.register(errorHandler, { maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES });
    await fastify.register(jsonBody);
    // Before any route: it describes the routes as they are added (GET /openapi.json, /docs).
    await fastify.register(openapi);
    await fastify.register(overload, {
      maxEventLoopDelayMs: env.GATEWAY_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapUsedBytes: env.GATEWAY_MAX_HEAP_USED_BYTES,
      maxRssBytes: env.GATEWAY_MAX_RSS_BYTES,
    });
    await fastify.register(storage, { dataDir: env.GATEWAY_DATA_DIR, secretKeyHex: env.GATEWAY_SECRET_KEY });
    await fastify.register(stateEvents);
    await fastify.register(usage);
    await fastify.register(adminAuth, { jwtSecret: env.GATEWAY_JWT_SECRET, dataDir: env.GATEWAY_DATA_DIR });
    await fastify.register(adminBootstrap, { dataDir: env.GATEWAY_DATA_DIR, adminPassword: env.GATEWAY_ADMIN_PASSWORD });
    await fastify.register(modelRouter, {
      configFile: env.GATEWAY_CONFIG,
      upstreamTimeoutMs: env.GATEWAY_UPSTREAM_TIMEOUT_MS,
      allowPrivateFetch: env.GATEWAY_ALLOW_PRIVATE_FETCH,
    });
    // Before metrics: its onResponse runs first and hands metrics a stream's final usage and cost.
    await fastify.register(callLog, {
      enabled: env.GATEWAY_CALL_LOG,
      captureBodies: env.GATEWAY_LOG_BODIES,
      retentionDays: env.GATEWAY_LOG_RETENTION_DAYS,
    });
    await fastify.register(metrics, { token: env.GATEWAY_METRICS_TOKEN });
    // After the call log: on shutdown its flush waits for the responses of cut connections.
    await fastify.register(connectionDrain);
    // The decision chain on /v1 (after the call log and metrics, whose onRequest must see denied calls too).
    await fastify.register(accessPolicy);
    await fastify.register(deploymentCheck);
    // The chain's last step (rate, token, budget limits) and @fastify/rate-limit: after the chain, before the routes.
    await fastify.register(limits, {
      redisUrl: env.REDIS_URL,
      redisPrefix: env.GATEWAY_LIMITS_REDIS_PREFIX,
      failMode: env.GATEWAY_LIMITS_FAIL_MODE,
      windowMs: env.GATEWAY_LIMIT_WINDOW_MS,
      adminLoginPerMinute: env.GATEWAY_ADMIN_LOGIN_PER_MINUTE,
    });
    // Replicas on one database: an admin write on one rebuilds the views of all (REDIS_URL only).
    await fastify.register(stateSync, { redisUrl: env.REDIS_URL, channel: `${env.GATEWAY_LIMITS_REDIS_PREFIX}state-changed` });
    await fastify.register(healthRoutes);
    await fastify.register(chatCompletionsRoutes);
    await fastify.register(embeddingsRoutes);
    await fastify.register(modelsRoutes);
    await fastify.register(adminAccessRoutes);
    await fastify.register(adminCatalogRoutes);
    await fastify.register(accessCheckRoutes);
    await fastify.register(gatewayExplainerRoutes);
    await fastify.register(adminLogsRoutes);
    // Last: Swagger UI's encapsulated routes must see every decorator and hook registered above.
    await fastify.register(openapiReference);
  },
  { name: 'gateway' },
);

/** Builds a ready-to-listen gateway from the shared options (used by server.ts and the tests). */
export async function buildApp(options: GatewayOptions): Promise<FastifyInstance> {
  const fastify = Fastify(serverOptions(options));
  await fastify.register(gatewayApp, options);
  await fastify.ready();
  return fastify;
}
