import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ensureFirstAdmin } from '../admin/first-admin.js';

/** Creates the first platform admin on a first start; logs where its password is, never the password. */
export default fp(
  async function adminBootstrap(fastify: FastifyInstance, options: { dataDir: string; adminPassword: string | undefined }) {
    const outcome = await ensureFirstAdmin(fastify.db, { dataDir: options.dataDir, password: options.adminPassword });
    if (!outcome.created) return;
    if (outcome.source === 'environment') {
      fastify.log.info({ username: outcome.username }, 'created the first platform admin with the password from GATEWAY_ADMIN_PASSWORD');
    } else {
      fastify.log.warn(
        { username: outcome.username, passwordFile: outcome.passwordFile },
        'created the first platform admin with a generated password: read it from the password file (mode 0600), then keep it somewhere safe',
      );
    }
  },
  { name: 'admin-bootstrap', dependencies: ['storage'] },
);
