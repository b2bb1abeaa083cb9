import type { FastifyInstance } from 'fastify';
import { callLogDetailView, callLogView, findCallLog, listCallLogs } from '../../call-log/call-log-query.js';
import { usageReport } from '../../call-log/usage-report.js';
import { notFound } from '../../admin/admin-errors.js';
import { canSeeTenant, ownTenantOnly } from '../../admin/tenant-visibility.js';
import { GatewayError } from '../../errors.js';
import type { AdminPrincipal } from '../../plugins/admin-auth.js';
import { callLogDetail, logsPage, logsQuery, requestIdParams, usageQuery, usageResponse, type LogsQuery, type UsageQueryString } from './logs-schemas.js';

/**
 * The tenant a query is limited to: a tenant admin's own (naming another is "not found", as
 * everywhere in the admin API); a platform admin's choice or all. A platform admin may name a
 * deleted tenant: its calls stay in the log until retention removes them.
 */
function tenantScope(admin: AdminPrincipal, tenantId: string | undefined): string | null {
  if (tenantId === undefined) return ownTenantOnly(admin);
  if (!canSeeTenant(admin, tenantId)) throw notFound('Tenant', tenantId, 'tenantId');
  return tenantId;
}

const timeOf = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

/** A range that ends before it starts matches nothing: said, not answered with an empty list. */
function checkRange(from: string | undefined, to: string | undefined): void {
  if (from === undefined || to === undefined || Date.parse(from) <= Date.parse(to)) return;
  throw new GatewayError('invalid_request', `Invalid querystring: 'from' (${from}) is after 'to' (${to}).`, {
    param: 'from',
    hint: "'from' is the start (inclusive) and 'to' the end (exclusive): swap them.",
  });
}

/** `/admin/logs` and `/admin/usage`: the call log, filtered and paged, and totals from it. */
export default async function logsRoutes(fastify: FastifyInstance) {
  const anyAdmin = fastify.requireAdmin();
  const tags = ['admin: call log'];

  fastify.get<{ Querystring: LogsQuery }>(
    '/admin/logs',
    {
      preHandler: anyAdmin,
      schema: { tags, summary: 'Search the call log, newest first, with cursor paging', querystring: logsQuery, response: { 200: logsPage } },
    },
    async (request) => {
      const { limit, cursor, tenantId, from, to, ...filters } = request.query;
      checkRange(from, to);
      const scope = tenantScope(request.admin, tenantId);
      const page = listCallLogs(
        fastify.db,
        { ...filters, ...(scope === null ? {} : { tenantId: scope }), from: timeOf(from), to: timeOf(to) },
        { limit, cursor },
      );
      return { data: page.rows.map(callLogView), nextCursor: page.nextCursor };
    },
  );

  fastify.get<{ Params: { requestId: string } }>(
    '/admin/logs/:requestId',
    {
      preHandler: anyAdmin,
      schema: { tags, summary: 'One call with its decision trace', params: requestIdParams, response: { 200: callLogDetail } },
    },
    async (request) => {
      const { requestId } = request.params;
      const row = findCallLog(fastify.db, requestId, ownTenantOnly(request.admin));
      if (row === undefined) {
        throw new GatewayError('resource_not_found', `There is no call-log row for request id '${requestId}'.`, {
          param: 'requestId',
          hint: 'A row appears a few milliseconds after its call ends, and rows older than GATEWAY_LOG_RETENTION_DAYS are deleted; GET /admin/logs lists the rows you can see.',
        });
      }
      return callLogDetailView(row);
    },
  );

  fastify.get<{ Querystring: UsageQueryString }>(
    '/admin/usage',
    {
      preHandler: anyAdmin,
      schema: { tags, summary: 'Requests, tokens, cost and denials per tenant, consumer, key, model or day', querystring: usageQuery, response: { 200: usageResponse } },
    },
    async (request) => {
      const { groupBy, tenantId, from, to } = request.query;
      checkRange(from, to);
      const data = usageReport(fastify.sqlite, {
        groupBy,
        tenantId: tenantScope(request.admin, tenantId),
        from: timeOf(from)?.getTime() ?? null,
        to: timeOf(to)?.getTime() ?? null,
      });
      return { groupBy, from: from ?? null, to: to ?? null, data };
    },
  );
}
