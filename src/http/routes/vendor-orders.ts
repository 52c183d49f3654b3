import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { issueTrial } from '../../services/vendor/issue-trial.js';
import { listAllOrders } from '../../services/vendor/list-orders.js';
import { placeOrder } from '../../services/vendor/place-order.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { email, pageQuery, uuid } from '../schemas/common.js';
import { cursorParam } from '../schemas/paging.js';
import { config, cursorOf, duration, licenseType, orderLines, page, tags } from '../schemas/vendor.js';
import { issuedSchema, orderSchema, presentIssued, presentOrder } from '../vendor-presenters.js';

// Orders and trials: how the vendor issues subscriptions, and the orders placed so far.

export function vendorOrdersRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/vendor/orders', {
      config,
      schema: {
        tags,
        summary: "Place an order for a customer: a new subscription and its primary key, emailed to the customer",
        body: z.strictObject({
          customerEmail: email,
          items: orderLines,
          duration,
          channel: z.enum(['online', 'reseller']),
          supportPlan: z.enum(['standard', 'premium']),
          autoRenew: z.boolean().default(false).describe('Online orders only'),
        }),
        response: { 201: issuedSchema, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send(presentIssued(await placeOrder(deps, actorOf(req), req.body), deps.clock.now())),
    });

    app.get('/vendor/orders', {
      config,
      schema: {
        tags,
        summary: 'Orders of every customer, or of one subscription, newest first',
        querystring: z.strictObject({ subscriptionId: uuid.optional(), limit: pageQuery.limit, cursor: cursorParam(z.number().int().positive()) }),
        response: { 200: page(orderSchema), ...errors },
      },
      handler: async (req) => {
        const { cursor, ...q } = req.query;
        const result = await listAllOrders(deps, actorOf(req), { ...q, beforeNumber: cursor });
        return { items: result.items.map(presentOrder), nextCursor: cursorOf(result.next) };
      },
    });

    app.post('/vendor/trials', {
      config,
      schema: {
        tags,
        summary: "Issue a trial license: a trial subscription for one product, its key emailed to the customer",
        body: z.strictObject({
          customerEmail: email,
          productCode: z.string().trim().min(1).max(50),
          licenseType,
          quantity: z.number().int().min(1).max(1_000_000).optional().describe("Seats; the product's trialSeats by default"),
          days: z.number().int().min(1).optional().describe("Length in days, at most 90; the product's trialDays by default"),
        }),
        response: { 201: issuedSchema, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send(presentIssued(await issueTrial(deps, actorOf(req), req.body), deps.clock.now())),
    });
  };
}
