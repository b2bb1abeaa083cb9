import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { adminUserView } from '../../src/admin/admin-users-store.js';
import type { consumerView } from '../../src/admin/consumers-store.js';
import type { keyView } from '../../src/admin/keys-store.js';
import type { tenantView } from '../../src/admin/tenants-store.js';
import { startGateway, type GatewayTestOptions, type RunningGateway } from './gateway.js';

/** The bootstrap admin's password in gateways started with `startAdminGateway`. */
export const TEST_ADMIN_PASSWORD = 'test-admin-password-0123';
/** The JWT secret of gateways started with `startAdminGateway` (to forge expired or foreign tokens). */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdefghijklmnop';

export type TenantJson = ReturnType<typeof tenantView>;
export type ConsumerJson = ReturnType<typeof consumerView>;
export type KeyJson = ReturnType<typeof keyView> & { key?: string };
export type AdminUserJson = ReturnType<typeof adminUserView>;
export interface ListJson<T> {
  data: T[];
  nextCursor: string | null;
}
export interface ErrorJson {
  error: { message: string; type: string; code: string; param: string | null; layer: string; hint?: string; request_id: string };
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** `startGateway` with a known bootstrap admin password and JWT secret. */
export function startAdminGateway(t: Teardown, options: GatewayTestOptions = {}): Promise<RunningGateway> {
  return startGateway(t, { ...options, env: { GATEWAY_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, GATEWAY_JWT_SECRET: TEST_JWT_SECRET, ...options.env } });
}

export interface AdminResponse<T> {
  status: number;
  body: T;
  /** The raw response text, to search for things that must not be there. */
  text: string;
  headers: Record<string, unknown>;
}

export interface AdminApi {
  request<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<AdminResponse<T>>;
  get<T = unknown>(url: string): Promise<AdminResponse<T>>;
  post<T = unknown>(url: string, body?: unknown): Promise<AdminResponse<T>>;
  patch<T = unknown>(url: string, body?: unknown): Promise<AdminResponse<T>>;
  delete<T = unknown>(url: string): Promise<AdminResponse<T>>;
}

/** Admin API calls through `app.inject`, with `token` as bearer (none when undefined). */
export function adminApi(app: FastifyInstance, token?: string): AdminApi {
  const request = async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<AdminResponse<T>> => {
    const response = await app.inject({
      method,
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: response.statusCode, body: (response.body === '' ? undefined : response.json()) as T, text: response.body, headers: response.headers };
  };
  return {
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body),
    patch: (url, body) => request('PATCH', url, body),
    delete: (url) => request('DELETE', url),
  };
}

/** The bootstrap admin's password: the generated file when there is one, else TEST_ADMIN_PASSWORD. */
export function bootstrapPassword(dataDir: string): string {
  const file = path.join(dataDir, 'admin-password.txt');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : TEST_ADMIN_PASSWORD;
}

/** Logs in through POST /admin/auth/token and returns the access token. */
export async function adminToken(gw: Pick<RunningGateway, 'app' | 'dataDir'>, username = 'admin', password?: string): Promise<string> {
  const response = await adminApi(gw.app).post<{ access_token: string }>('/admin/auth/token', { username, password: password ?? bootstrapPassword(gw.dataDir) });
  if (response.status !== 200) throw new Error(`admin login as ${username} failed: ${response.status} ${response.text}`);
  return response.body.access_token;
}

/** An admin API client logged in as the bootstrap admin. */
export async function platformAdmin(gw: Pick<RunningGateway, 'app' | 'dataDir'>): Promise<AdminApi> {
  return adminApi(gw.app, await adminToken(gw));
}

/** Creates a tenant admin for `tenantId` (as platform admin `api`) and returns a client logged in as it. */
export async function tenantAdmin(gw: Pick<RunningGateway, 'app' | 'dataDir'>, api: AdminApi, tenantId: string, username: string): Promise<AdminApi> {
  const password = `${username}-password-0123`;
  const created = await api.post('/admin/users', { username, password, role: 'tenant_admin', tenantId });
  if (created.status !== 201) throw new Error(`creating tenant admin ${username} failed: ${created.status} ${created.text}`);
  return adminApi(gw.app, await adminToken(gw, username, password));
}

/** Signs an HS256 admin JWT by hand: expired (`expiresInSeconds` < 0) or under a foreign secret. */
export function forgeAdminToken(
  claims: { sub: string; role: 'platform_admin' | 'tenant_admin'; tenantId: string | null },
  options: { secret?: string; expiresInSeconds?: number } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ ...claims, iat: now - 7200, exp: now + (options.expiresInSeconds ?? 3600) })}`;
  const signature = createHmac('sha256', options.secret ?? TEST_JWT_SECRET).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
