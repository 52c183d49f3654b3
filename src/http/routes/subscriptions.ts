import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { grantKeyAdmin, listKeyAdmins, revokeKeyAdmin } from '../../services/sublicenses/key-admins.js';
import { createSublicense, deleteSublicense, updateSublicense, type SublicenseChange } from '../../services/sublicenses/manage-sublicenses.js';
import { getSubscription, listSubscriptions, updateSubscriptionSettings } from '../../services/subscriptions/customer-subscriptions.js';
import { buyMoreLicenses, quoteRenewal, renewOnline } from '../../services/subscriptions/online-purchases.js';
import { registerKey } from '../../services/subscriptions/register-key.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import {
  licenseKeyRowSchema,
  productSeatsSchema,
  presentKeyRow,
  presentProductSeats,
  presentSubscription,
  presentSubscriptionDetails,
  subscriptionDetailsSchema,
  subscriptionSummarySchema,
} from '../presenters.js';
import { accountIdParams, companySchema, isoDate, okSchema, pageQuery, uuid } from '../schemas/common.js';
import { sortedPaging } from '../schemas/paging.js';

const subscriptionParams = accountIdParams.extend({ subscriptionId: uuid });
const keyParams = subscriptionParams.extend({ keyId: uuid });
const futureDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).transform((s) => new Date(s));
const sublicenseFields = {
  name: z.string().trim().min(1).max(200),
  quota: z.number().int().min(1).max(1_000_000),
  expiresAt: futureDate.nullable().describe('null: expires with the subscription and follows its renewals'),
};

const subscriptionSort = z.enum(['name', 'expires_at', 'starts_at']);
// Times travel in the cursor as ISO text.
const paging = sortedPaging<z.output<typeof subscriptionSort>>((sort, value) => sort === 'name' || isoDate.safeParse(value).success);

const licenseKey = z.string().trim().min(1).max(64).describe('The primary license key from the order email, with or without dashes');

/** A sublicense's row after a change, as the License Keys table shows it. */
function presentChangedKey(change: SublicenseChange, keyId: string) {
  return presentKeyRow(change.seats.keys.find((r) => r.key.id === keyId)!, change.subscription);
}

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

    app.post('/accounts/:accountId/subscriptions/:subscriptionId/keys', {
      schema: {
        tags: ['license keys'],
        summary: 'Create an additional license key (sublicense) for one product of the subscription',
        params: subscriptionParams,
        body: z.strictObject({ itemId: uuid, kind: z.enum(['dynamic', 'reserved']), ...sublicenseFields }),
        response: { 201: z.object({ key: licenseKeyRowSchema, seats: productSeatsSchema }), ...errors },
      },
      handler: async (req, reply) => {
        const { accountId, subscriptionId } = req.params;
        const { itemId, ...input } = req.body;
        const created = await createSublicense(deps, actorOf(req), accountId, subscriptionId, itemId, input);
        return reply.code(201).send({ key: presentChangedKey(created, created.key.id), seats: presentProductSeats(created.seats, created.subscription) });
      },
    });

    app.patch('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId', {
      schema: {
        tags: ['license keys'],
        summary: 'Edit a sublicense; a quota below use deactivates its least recently seen installations',
        params: keyParams,
        body: z
          .strictObject({ name: sublicenseFields.name.optional(), quota: sublicenseFields.quota.optional(), expiresAt: sublicenseFields.expiresAt.optional() })
          .refine((b) => Object.keys(b).length > 0, 'name at least one field to change'),
        response: { 200: z.object({ key: licenseKeyRowSchema, deactivatedInstallations: z.number(), seats: productSeatsSchema }), ...errors },
      },
      handler: async (req) => {
        const { accountId, subscriptionId, keyId } = req.params;
        const updated = await updateSublicense(deps, actorOf(req), accountId, subscriptionId, keyId, req.body);
        return { key: presentChangedKey(updated, keyId), deactivatedInstallations: updated.deactivated, seats: presentProductSeats(updated.seats, updated.subscription) };
      },
    });

    app.delete('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId', {
      schema: {
        tags: ['license keys'],
        summary: 'Delete a sublicense: its installations are deactivated and its seats return to the pool',
        params: keyParams,
        response: { 200: z.object({ deactivatedInstallations: z.number(), seats: productSeatsSchema }), ...errors },
      },
      handler: async (req) => {
        const { accountId, subscriptionId, keyId } = req.params;
        const deleted = await deleteSublicense(deps, actorOf(req), accountId, subscriptionId, keyId);
        return { deactivatedInstallations: deleted.deactivated, seats: presentProductSeats(deleted.seats, deleted.subscription) };
      },
    });

    const keyAdminSchema = z.object({ userId: z.string(), email: z.string(), firstName: z.string(), lastName: z.string(), grantedAt: z.string() });

    app.get('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId/admins', {
      schema: { tags: ['license keys'], summary: "The key's License Administrators", params: keyParams, response: { 200: z.object({ items: z.array(keyAdminSchema) }), ...errors } },
      handler: async (req) => ({
        items: (await listKeyAdmins(deps, actorOf(req), req.params.accountId, req.params.keyId)).map((a) => ({
          userId: a.user_id,
          email: a.email,
          firstName: a.first_name,
          lastName: a.last_name,
          grantedAt: a.created_at.toISOString(),
        })),
      }),
    });

    app.put('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId/admins/:userId', {
      schema: { tags: ['license keys'], summary: 'Make a Regular Member a License Administrator of this key', params: keyParams.extend({ userId: uuid }), response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await grantKeyAdmin(deps, actorOf(req), req.params.accountId, req.params.keyId, req.params.userId);
        return { ok: true as const };
      },
    });

    app.delete('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId/admins/:userId', {
      schema: { tags: ['license keys'], summary: 'Take a key away from a License Administrator', params: keyParams.extend({ userId: uuid }), response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await revokeKeyAdmin(deps, actorOf(req), req.params.accountId, req.params.keyId, req.params.userId);
        return { ok: true as const };
      },
    });

    app.post('/accounts/:accountId/subscriptions', {
      schema: {
        tags: ['subscriptions'],
        summary: 'Register a subscription into this account by its primary license key (administrators)',
        params: accountIdParams,
        body: z.strictObject({ licenseKey }),
        response: { 201: z.object({ subscription: subscriptionSummarySchema }), ...errors },
      },
      handler: async (req, reply) => {
        const subscription = await registerKey(deps, actorOf(req), req.body.licenseKey, { accountId: req.params.accountId });
        return reply.code(201).send({ subscription: presentSubscription(subscription, deps.clock.now()) });
      },
    });

    app.post('/subscriptions/registrations', {
      schema: {
        tags: ['subscriptions'],
        summary: 'Register a subscription into a new business account made from the company details',
        body: z.strictObject({ licenseKey, company: companySchema }),
        response: { 201: z.object({ subscription: subscriptionSummarySchema }), ...errors },
      },
      handler: async (req, reply) => {
        const subscription = await registerKey(deps, actorOf(req), req.body.licenseKey, { company: req.body.company });
        return reply.code(201).send({ subscription: presentSubscription(subscription, deps.clock.now()) });
      },
    });
  };
}
