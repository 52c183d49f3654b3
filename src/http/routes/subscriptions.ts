import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { getSubscription, listSubscriptions, updateSubscriptionSettings } from '../../services/subscriptions/customer-subscriptions.js';
import { buyMoreLicenses, quoteRenewal, renewOnline } from '../../services/subscriptions/online-purchases.js';
import { startEditionTrialInAccount } from '../../services/editions/edition-trial.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { presentSubscription, presentSubscriptionDetails, subscriptionDetailsSchema, subscriptionSummarySchema } from '../presenters.js';
import { accountIdParams, editionChoice, isoDate, pageQuery, subscriptionParams } from '../schemas/common.js';
import { sortedPaging } from '../schemas/paging.js';

// A customer's subscriptions: the list, the details page, its settings, and what is bought online.

const subscriptionSort = z.enum(['name', 'expires_at', 'starts_at']);
// Times travel in the cursor as ISO text.
const paging = sortedPaging<z.output<typeof subscriptionSort>>((sort, value) => sort === 'name' || isoDate.safeParse(value).success);

export function subscriptionsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/subscriptions', {
      schema: {
        tags: ['subscriptions'],
        summary: "The account's subscriptions (administrators; License Administrators see those holding their keys)",
        params: accountIdParams,
        querystring: z
          .strictObject({
            filter: z.enum(['all', 'active', 'expiring_soon', 'expired']).default('all'),
            sort: subscriptionSort.default('expires_at'),
            order: z.enum(['asc', 'desc']).default('asc'),
            limit: pageQuery.limit,
            cursor: paging.cursor,
          })
          .superRefine(paging.refine),
        response: { 200: z.object({ items: z.array(subscriptionSummarySchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const { filter, sort, order, limit, cursor } = req.query;
        const page = await listSubscriptions(deps, actorOf(req), req.params.accountId, { filter, sort, descending: order === 'desc', limit, after: cursor });
        const now = deps.clock.now();
        return { items: page.items.map((s) => presentSubscription(s, now)), nextCursor: paging.next(req.query, page.next) };
      },
    });

    app.get('/accounts/:accountId/subscriptions/:subscriptionId', {
      schema: {
        tags: ['subscriptions'],
        summary: 'A subscription: status, dates, products, license keys with quota/used/available, order history, contract',
        params: subscriptionParams,
        response: { 200: subscriptionDetailsSchema, ...errors },
      },
      handler: async (req) =>
        presentSubscriptionDetails(await getSubscription(deps, actorOf(req), req.params.accountId, req.params.subscriptionId), deps.clock.now()),
    });

    app.patch('/accounts/:accountId/subscriptions/:subscriptionId', {
      schema: {
        tags: ['subscriptions'],
        summary: 'Rename a subscription or turn auto-renewal on or off (online subscriptions)',
        params: subscriptionParams,
        body: z
          .strictObject({ name: z.string().trim().min(1).max(200).optional(), autoRenew: z.boolean().optional() })
          .refine((b) => Object.keys(b).length > 0, 'name at least one field to change'),
        response: { 200: z.object({ subscription: subscriptionSummarySchema }), ...errors },
      },
      handler: async (req) => ({
        subscription: presentSubscription(
          await updateSubscriptionSettings(deps, actorOf(req), req.params.accountId, req.params.subscriptionId, req.body),
          deps.clock.now(),
        ),
      }),
    });

    app.post('/accounts/:accountId/subscriptions/:subscriptionId/edition-trial', {
      schema: {
        tags: ['subscriptions'],
        summary: "Try the edition the subscription's product upgrades to (\"Try Enterprise\"), beside it: a trial subscription of this account, once per account and product (administrators)",
        params: subscriptionParams,
        body: editionChoice,
        response: { 201: z.object({ subscription: subscriptionSummarySchema }), ...errors },
      },
      handler: async (req, reply) => {
        const { accountId, subscriptionId } = req.params;
        const { subscription } = await startEditionTrialInAccount(deps, actorOf(req), accountId, subscriptionId, req.body.product);
        return reply.code(201).send({ subscription: presentSubscription(subscription, deps.clock.now()) });
      },
    });

    const duration = z.enum(['1m', '1y', '2y', '3y']);

    app.get('/accounts/:accountId/subscriptions/:subscriptionId/renewal-quote', {
      schema: {
        tags: ['subscriptions'],
        summary: 'The new expiration date a renewal for this duration would give (online subscriptions)',
        params: subscriptionParams,
        querystring: z.strictObject({ duration }),
        response: { 200: z.object({ currentExpiresAt: z.string(), newExpiresAt: z.string() }), ...errors },
      },
      handler: async (req) => {
        const q = await quoteRenewal(deps, actorOf(req), req.params.accountId, req.params.subscriptionId, req.query.duration);
        return { currentExpiresAt: q.currentExpiresAt.toISOString(), newExpiresAt: q.newExpiresAt.toISOString() };
      },
    });

    app.post('/accounts/:accountId/subscriptions/:subscriptionId/renewals', {
      schema: {
        tags: ['subscriptions'],
        summary: 'Renew online: the order is recorded and the dates move',
        params: subscriptionParams,
        body: z.strictObject({ duration }),
        response: { 201: subscriptionDetailsSchema, ...errors },
      },
      handler: async (req, reply) => {
        const { accountId, subscriptionId } = req.params;
        const renewed = await renewOnline(deps, actorOf(req), accountId, subscriptionId, req.body.duration);
        return reply.code(201).send(presentSubscriptionDetails(renewed, deps.clock.now()));
      },
    });

    app.post('/accounts/:accountId/subscriptions/:subscriptionId/additions', {
      schema: {
        tags: ['subscriptions'],
        summary: 'Buy more licenses for products of the subscription',
        params: subscriptionParams,
        body: z.strictObject({
          items: z
            .array(z.strictObject({ productCode: z.string().min(1).max(50), licenseType: z.string().min(1).max(30).nullable().default(null), quantity: z.number().int().min(1).max(1_000_000) }))
            .min(1)
            .max(20),
        }),
        response: { 201: subscriptionDetailsSchema, ...errors },
      },
      handler: async (req, reply) => {
        const { accountId, subscriptionId } = req.params;
        const grown = await buyMoreLicenses(deps, actorOf(req), accountId, subscriptionId, req.body.items);
        return reply.code(201).send(presentSubscriptionDetails(grown, deps.clock.now()));
      },
    });
  };
}
