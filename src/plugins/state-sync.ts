import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { closeRedis, gatewayRedisOptions } from '../limits/redis-connection.js';

export interface StateSyncOptions {
  /** REDIS_URL; unset: one instance, nobody to tell. */
  redisUrl: string | undefined;
  /** The pub/sub channel (GATEWAY_LIMITS_REDIS_PREFIX + `state-changed`). */
  channel: string;
}

/**
 * Replicas that share one database (DESIGN §6) each keep in-memory views of it: the policy
 * snapshot and the model catalog. An admin write rebuilds them on the replica that served it;
 * this tells the other replicas through Redis pub/sub, so a key revoked on one replica is
 * refused by every replica at once, not after their next restart.
 *
 * Pub/sub does not keep what it sent while a replica was cut off from Redis, so a replica
 * rebuilds its views once each time it subscribes (at boot too, if Redis was down then), to
 * catch up. A Redis outage never blocks an admin write:
 * the message is lost, and the replicas catch up when they reconnect.
 */
export default fp(
  async function stateSync(fastify: FastifyInstance, options: StateSyncOptions) {
    if (options.redisUrl === undefined) return;
    // Loaded only when REDIS_URL is set, as for the limits.
    const { Redis } = await import('ioredis');
    const instanceId = randomUUID();
    const publisher = new Redis(options.redisUrl, gatewayRedisOptions());
    // Subscribes itself on every connect (below), so it needs no ioredis resubscription; a
    // subscription has no command timeout (it waits for messages for as long as it lives).
    const subscriber = new Redis(options.redisUrl, { ...gatewayRedisOptions(), commandTimeout: undefined, autoResubscribe: false });

    let everConnected = false;
    let unreachable = false;
    let closing = false;
    subscriber.on('ready', () => {
      subscriber.subscribe(options.channel).then(
        () => {
          // What changed before this subscription was not heard (at boot, or while cut off): read it now.
          fastify.stateChangedElsewhere();
          if (unreachable) fastify.log.info('state sync: Redis reachable again; views rebuilt to catch up with changes made meanwhile');
          everConnected = true;
          unreachable = false;
        },
        (error: unknown) => fastify.log.warn({ err: error }, 'state sync: could not subscribe; reconnecting'),
      );
    });
    const lost = (details: { err?: Error }) => {
      if (unreachable) return;
      unreachable = true;
      fastify.log.warn(details, 'state sync: Redis unreachable; admin changes made on other replicas reach this one when it is back');
    };
    // A refused connect is an error; a dropped connection only closes (and may be back before any error).
    subscriber.on('error', (error: Error) => lost({ err: error }));
    subscriber.on('close', () => {
      if (everConnected && !closing) lost({});
    });
    // A failed publish is logged where it happens; the connection's own errors would only repeat it.
    publisher.on('error', () => undefined);
    subscriber.on('message', (_channel: string, sender: string) => {
      if (sender !== instanceId) fastify.stateChangedElsewhere();
    });
    fastify.onLocalStateChange(() => {
      publisher.publish(options.channel, instanceId).catch((error: unknown) => {
        fastify.log.warn({ err: error }, 'state sync: could not tell the other replicas of an admin change; they catch up when they reconnect to Redis');
      });
    });

    // A Redis that is down at boot does not stop the boot; the connections keep retrying.
    await Promise.allSettled([publisher.connect(), subscriber.connect()]);
    fastify.addHook('onClose', async () => {
      closing = true;
      subscriber.disconnect();
      await closeRedis(publisher);
    });
  },
  { name: 'state-sync', dependencies: ['state-events'] },
);
