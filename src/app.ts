import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import adminAuth from './plugins/admin-auth.js';
import adminBootstrap from './plugins/admin-bootstrap.js';
import errorHandler from './plugins/error-handler.js';
import metrics from './plugins/metrics.js';
import modelRouter from './plugins/model-router.js';
import overload from './plugins/overload.js';
import requestContext from './plugins/request-context.js';
import stateEvents from './plugins/state-events.js';
import storage from './plugins/storage.js';
import usage from './plugins/usage.js';
import validation from './plugins/validation.js';
import adminAccessRoutes from './routes/admin/access-routes.js';
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
    await fastify.register(validation);
    await fastify.register(requestContext);
    await fastify.register(errorHandler, { maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES });
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
    await fastify.register(metrics, { token: env.GATEWAY_METRICS_TOKEN });
    await fastify.register(healthRoutes);
    await fastify.register(chatCompletionsRoutes);
    await fastify.register(embeddingsRoutes);
    await fastify.register(modelsRoutes);
    await fastify.register(adminAccessRoutes);
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
