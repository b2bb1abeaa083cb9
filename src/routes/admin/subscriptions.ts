import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../admin/admin-errors.js';
import { findConsumer } from '../../admin/consumers-store.js';
import { findService } from '../../admin/services-store.js';
import {
  decideSubscription,
  findSubscription,
  listSubscriptions,
  requestSubscription,
  subscriptionView,
  type SubscriptionWithContext,
} from '../../admin/subscriptions-store.js';
import type { SubscriptionDecision, SubscriptionStatus } from '../../admin/subscription-transitions.js';
import { canSeeTenant, ownTenantOnly } from '../../admin/tenant-visibility.js';
import { pageBody, type PageRequest } from '../../admin/list-page.js';
import { idParams, listOf } from './access-schemas.js';
import { approveBody, decisionBody, subscriptionBody, subscriptionQuery, subscriptionView as subscriptionSchema } from './subscription-schemas.js';

interface ById {
  Params: { id: string };
}

interface ListQuery {
  Querystring: { status?: SubscriptionStatus; consumerId?: string; serviceId?: string } & PageRequest;
}

/**
 * `/admin/subscriptions`: an app (consumer) asks for a service; a platform admin decides. Tenant
 * admins ask for, and see, their own tenant's consumers only; everything else is 404 to them.
 */
export default async function subscriptionsRoutes(fastify: FastifyInstance) {
  const anyAdmin = fastify.requireAdmin();
  const platformOnly = fastify.requireAdmin('platform_admin');
  const tags = ['admin: subscriptions'];
  const params = idParams('id');

  const visibleConsumerId = (request: FastifyRequest, id: string) => {
    const consumer = findConsumer(fastify.db, id);
    if (consumer === undefined || !canSeeTenant(request.admin, consumer.tenantId)) throw notFound('Consumer', id, 'consumerId');
    return consumer.id;
  };
  const visibleSubscription = (request: FastifyRequest, id: string): SubscriptionWithContext => {
    const subscription = findSubscription(fastify.db, id);
    if (subscription === undefined || !canSeeTenant(request.admin, subscription.tenantId)) throw notFound('Subscription', id);
    return subscription;
  };

  fastify.get<ListQuery>(
    '/admin/subscriptions',
    {
      preHandler: anyAdmin,
      schema: { tags, summary: 'List subscriptions (?status=pending is the approval queue), oldest first', querystring: subscriptionQuery, response: { 200: listOf(subscriptionSchema) } },
    },
    async (request) => {
      const { status, consumerId, serviceId, ...page } = request.query;
      if (serviceId !== undefined && findService(fastify.db, serviceId) === undefined) throw notFound('Service', serviceId, 'serviceId');
      const filter = {
        tenantId: ownTenantOnly(request.admin),
        ...(status === undefined ? {} : { status }),
        ...(consumerId === undefined ? {} : { consumerId: visibleConsumerId(request, consumerId) }),
        ...(serviceId === undefined ? {} : { serviceId }),
      };
      return pageBody(listSubscriptions(fastify.db, filter, page), subscriptionView);
    },
  );

  fastify.post<{ Body: { consumerId: string; serviceId: string } }>(
    '/admin/subscriptions',
    {
      preHandler: anyAdmin,
      schema: { tags, summary: 'Ask for a subscription: approved at once for an auto service, else pending', body: subscriptionBody, response: { 201: subscriptionSchema } },
    },
    async (request, reply) => {
      const consumerId = visibleConsumerId(request, request.body.consumerId);
      const subscription = requestSubscription(fastify.db, { consumerId, serviceId: request.body.serviceId, requestedBy: request.admin.username });
      fastify.stateChanged();
      return reply.code(201).send(subscriptionView(subscription));
    },
  );

  fastify.get<ById>('/admin/subscriptions/:id', { preHandler: anyAdmin, schema: { tags, summary: 'Get a subscription', params, response: { 200: subscriptionSchema } } }, async (request) =>
    subscriptionView(visibleSubscription(request, request.params.id)),
  );

  const decisions: Array<{ decision: SubscriptionDecision; summary: string; body: object }> = [
    { decision: 'approve', summary: 'Approve a pending subscription', body: approveBody },
    { decision: 'reject', summary: 'Reject a pending subscription, saying why', body: decisionBody },
    { decision: 'revoke', summary: 'Revoke an approved subscription, saying why', body: decisionBody },
  ];
  for (const { decision, summary, body } of decisions) {
    fastify.post<ById & { Body: { reason?: string } | undefined }>(
      `/admin/subscriptions/:id/${decision}`,
      {
        preHandler: platformOnly,
        // An approval may come without a body at all; validation then sees an empty one.
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
        schema: { tags, summary, params, body, response: { 200: subscriptionSchema } },
      },
      async (request) => {
        const subscription = decideSubscription(fastify.db, request.params.id, { decision, decidedBy: request.admin.username, reason: request.body?.reason ?? null });
        fastify.stateChanged();
        return subscriptionView(subscription);
      },
    );
  }
}
