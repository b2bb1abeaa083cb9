import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { findAdminUser } from '../../admin/admin-users-store.js';
import { hashPassword, verifyPassword } from '../../admin/passwords.js';
import { GatewayError } from '../../errors.js';
import { tokenBody, tokenResponse } from './access-schemas.js';

interface TokenRequest {
  Body: { username: string; password: string };
}

/** `POST /admin/auth/token`: username and password in, a short-lived admin JWT out. */
export default async function adminAuthRoutes(fastify: FastifyInstance) {
  // An unknown username is checked against this hash too, so both failures take the same time
  // and the answer's timing does not reveal which usernames exist.
  const dummyHash = await hashPassword(randomBytes(32).toString('base64url'));

  fastify.post<TokenRequest>(
    '/admin/auth/token',
    {
      // Every attempt costs an argon2 hash: limited per client address (docs/limits.md).
      config: { rateLimit: fastify.limits.adminLoginRateLimit },
      schema: {
        tags: ['admin: access'],
        summary: 'Exchange an admin username and password for an access token',
        body: tokenBody,
        response: { 200: tokenResponse },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      const user = findAdminUser(fastify.db, username);
      const valid = await verifyPassword(user?.passwordHash ?? dummyHash, password);
      if (user === undefined || !valid) {
        // The username is not logged: people sometimes type their password into that field.
        request.log.info('admin login refused');
        throw new GatewayError('invalid_credentials', 'The username or password is wrong.', {
          hint: 'Check both; the first admin is `admin`, its password is GATEWAY_ADMIN_PASSWORD or the admin-password.txt file in the data dir.',
        });
      }
      return fastify.signAdminToken({ username: user.username, role: user.role, tenantId: user.tenantId });
    },
  );
}
