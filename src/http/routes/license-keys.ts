import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { createSublicense, deleteSublicense, updateSublicense, type SublicenseChange } from '../../services/sublicenses/manage-sublicenses.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { licenseKeyRowSchema, presentKeyRow, presentProductSeats, productSeatsSchema } from '../presenters.js';
import { keyParams, subscriptionParams, uuid } from '../schemas/common.js';

// The additional license keys (sublicenses) of a subscription.

const futureDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).transform((s) => new Date(s));
const sublicenseFields = {
  name: z.string().trim().min(1).max(200),
  quota: z.number().int().min(1).max(1_000_000),
  expiresAt: futureDate.nullable().describe('null: expires with the subscription and follows its renewals'),
};

/** A sublicense's row after a change, as the License Keys table shows it. */
function presentChangedKey(change: SublicenseChange, keyId: string) {
  return presentKeyRow(change.seats.keys.find((r) => r.key.id === keyId)!, change.subscription);
}

export function licenseKeysRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
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
  };
}
