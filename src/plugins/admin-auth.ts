import jwt from '@fastify/jwt';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { adminUsers } from '../db/schema.js';
import { GatewayError } from '../errors.js';
import { resolveJwtSecret } from '../secrets/jwt-secret.js';

export type AdminRole = 'platform_admin' | 'tenant_admin';

export interface AdminPrincipal {
  username: string;
  role: AdminRole;
  /** Set for tenant admins: the only tenant they see. */
  tenantId: string | null;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; role: AdminRole; tenantId: string | null };
    user: { sub: string; role: AdminRole; tenantId: string | null };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for every /admin route but the token endpoint: a valid admin token of one of `roles`. */
    requireAdmin(...roles: AdminRole[]): preHandlerAsyncHookHandler;
    /** Signs an admin access token. */
    signAdminToken(principal: AdminPrincipal): { access_token: string; token_type: 'Bearer'; expires_in: number };
  }
  interface FastifyRequest {
    admin: AdminPrincipal;
  }
}

const TOKEN_TTL_SECONDS = 3600;

function tokenError(error: unknown, hasHeader: boolean): GatewayError {
  if (!hasHeader) {
    return new GatewayError('admin_token_missing', 'The admin API needs an admin token: Authorization: Bearer <token>.', {
      hint: 'Get one with POST /admin/auth/token {username, password}.',
      headers: { 'www-authenticate': 'Bearer realm="admin"' },
    });
  }
  const code = (error as { code?: string }).code;
  if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') {
    return new GatewayError('admin_token_expired', 'The admin token has expired.', {
      hint: 'Get a new one with POST /admin/auth/token.',
      headers: { 'www-authenticate': 'Bearer realm="admin", error="invalid_token"' },
    });
  }
  return new GatewayError('admin_token_invalid', 'The admin token is not valid.', {
    hint: 'Get a new one with POST /admin/auth/token.',
    headers: { 'www-authenticate': 'Bearer realm="admin", error="invalid_token"' },
  });
}

/** Admin authentication with @fastify/jwt (HS256, secret from GATEWAY_JWT_SECRET or the data dir). */
export default fp(
  async function adminAuth(fastify: FastifyInstance, options: { jwtSecret: string | undefined; dataDir: string }) {
    const { secret, generatedAt } = resolveJwtSecret(options.jwtSecret, options.dataDir);
    if (generatedAt) fastify.log.warn({ file: generatedAt }, 'GATEWAY_JWT_SECRET is not set: generated one in the data dir');
    await fastify.register(jwt, { secret, sign: { expiresIn: TOKEN_TTL_SECONDS } });
    fastify.decorateRequest('admin', null as never);

    fastify.decorate('signAdminToken', (principal: AdminPrincipal) => ({
      access_token: fastify.jwt.sign({ sub: principal.username, role: principal.role, tenantId: principal.tenantId }),
      token_type: 'Bearer' as const,
      expires_in: TOKEN_TTL_SECONDS,
    }));

    fastify.decorate('requireAdmin', (...roles: AdminRole[]): preHandlerAsyncHookHandler => {
      return async function checkAdmin(request: FastifyRequest, _reply: FastifyReply) {
        const hasHeader = typeof request.headers.authorization === 'string' && request.headers.authorization !== '';
        let claims: { sub: string; role: AdminRole; tenantId: string | null };
        try {
          claims = await request.jwtVerify();
        } catch (error) {
          throw tokenError(error, hasHeader);
        }
        // A deleted admin's token dies with the account (an admin-path read, never on /v1).
        const user = fastify.db.select().from(adminUsers).where(eq(adminUsers.username, claims.sub)).get();
        if (user === undefined) throw tokenError(new Error('unknown user'), true);
        request.admin = { username: user.username, role: user.role, tenantId: user.tenantId };
        if (roles.length > 0 && !roles.includes(user.role)) {
          throw new GatewayError('admin_forbidden', `The role ${user.role} may not do this.`, {
            hint: `This needs the role ${roles.join(' or ')}.`,
          });
        }
      };
    });
  },
  { name: 'admin-auth', dependencies: ['storage'] },
);
