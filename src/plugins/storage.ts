import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { openDatabase, type GatewayDb } from '../db/client.js';
import type Database from 'better-sqlite3';
import { createSecretBox, resolveSecretKey, type SecretBox } from '../secrets/secret-box.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: GatewayDb;
    sqlite: Database.Database;
    secrets: SecretBox;
  }
}

/** The embedded SQLite store (WAL, migrations applied) and the credential sealer. */
export default fp(
  async function storage(fastify: FastifyInstance, options: { dataDir: string; secretKeyHex: string | undefined }) {
    const { db, sqlite, close } = openDatabase(options.dataDir);
    const { key, generatedAt } = resolveSecretKey(options.secretKeyHex, options.dataDir);
    if (generatedAt) {
      fastify.log.warn({ file: generatedAt }, 'GATEWAY_SECRET_KEY is not set: generated a credential-encryption key in the data dir; back it up with the database');
    }
    fastify.decorate('db', db);
    fastify.decorate('sqlite', sqlite);
    fastify.decorate('secrets', createSecretBox(key));
    fastify.addHook('onClose', async () => close());
  },
  { name: 'storage' },
);
