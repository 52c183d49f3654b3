import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { convertSubscription } from '../../services/editions/convert-subscription.js';
import { startEditionTrialAsVendor } from '../../services/editions/edition-trial.js';
import { makeTrialPermanent } from '../../services/editions/make-permanent.js';
import { addLicenses } from '../../services/vendor/add-licenses.js';
import { renewSubscription } from '../../services/vendor/renew-subscription.js';
import { exportAllSubscriptions, listAllSubscriptions, type ListedSubscription } from '../../services/vendor/search-subscriptions.js';
import { getSubscriptionDetails } from '../../services/vendor/subscription-details.js';
import { resumeSubscription, suspendSubscription } from '../../services/vendor/suspension.js';
import { actorOf } from '../auth.js';
import { sendCsv, type CsvColumn } from '../csv.js';
import { errorResponses as errors } from '../errors.js';
import { presentSubscription, subscriptionSummarySchema } from '../presenters.js';
import { editionChoice, pageQuery, uuid } from '../schemas/common.js';
import { cursorParam } from '../schemas/paging.js';
import { config, cursorOf, duration, idParams, orderLines, page, search, tags } from '../schemas/vendor.js';
import {
  conversionSchema,
  issuedSchema,
  itemSchema,
  orderSchema,
  presentConversion,
  presentIssued,
  presentItem,
  presentListedSubscription,
  presentOrder,
  presentVendorSubscriptionDetails,
  vendorSubscriptionDetailsSchema,
  vendorSubscriptionSchema,
} from '../vendor-presenters.js';

// Every customer's subscriptions as the vendor sees them: search, export, details, renewals, more licenses, suspension,
// and editions: a trial of the upgrade beside one, its conversion, a trial made permanent.

const subscriptionFilter = z.strictObject({
  search: search.optional().meta({ description: "Part of a customer email or subscription name, a key's last group, or an account's support code" }),
  status: z
    .enum(['all', 'active', 'expiring_soon', 'expired', 'suspended'])
    .default('all')
    .describe('active: running (expiring soon included); expiring_soon: within 30 days; expired and suspended as shown'),
  channel: z.enum(['online', 'reseller', 'trial']).optional(),
  product: z.string().trim().min(1).max(50).optional().describe('A product code the subscription holds'),
  accountId: uuid.optional(),
});
const toQuery = ({ product, ...rest }: z.infer<typeof subscriptionFilter>) => ({ ...rest, productCode: product });

const csvColumns: CsvColumn<ListedSubscription>[] = [
  { header: 'id', value: (r) => r.subscription.id },
  { header: 'name', value: (r) => r.subscription.name },
  { header: 'customer_email', value: (r) => r.subscription.customer_email },
  { header: 'account', value: (r) => r.subscription.account_name },
  { header: 'support_code', value: (r) => r.subscription.account_support_code },
  { header: 'channel', value: (r) => r.subscription.channel },
  { header: 'support_plan', value: (r) => r.subscription.support_plan },
  { header: 'auto_renew', value: (r) => String(r.subscription.auto_renew) },
  { header: 'starts_at', value: (r) => r.subscription.starts_at.toISOString() },
  { header: 'expires_at', value: (r) => r.subscription.expires_at.toISOString() },
  { header: 'products', value: (r) => r.items.map((i) => `${i.product_code}${i.license_type ? `/${i.license_type}` : ''} x${i.quantity}`).join('; ') },
];

export function vendorSubscriptionsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/vendor/subscriptions', {
      config,
      schema: {
        tags,
        summary: 'Search the subscriptions of every customer, newest first',
        querystring: subscriptionFilter.extend({ limit: pageQuery.limit, cursor: cursorParam(z.object({ startsAt: z.iso.datetime().transform((s) => new Date(s)), id: uuid })) }),
        response: { 200: page(vendorSubscriptionSchema), ...errors },
      },
      handler: async (req) => {
        const { limit, cursor, ...filter } = req.query;
        const result = await listAllSubscriptions(deps, actorOf(req), { ...toQuery(filter), after: cursor, limit });
        const now = deps.clock.now();
        return { items: result.items.map((s) => presentListedSubscription(s, now)), nextCursor: cursorOf(result.next) };
      },
    });

    app.get('/vendor/subscriptions.csv', {
      config,
      schema: {
        tags,
        summary: 'Download the matching subscriptions as CSV',
        querystring: subscriptionFilter,
        produces: ['text/csv'],
        response: { 200: z.string().meta({ description: csvColumns.map((c) => c.header).join(',') }), ...errors },
      },
      handler: async (req, reply) => {
        const rows = exportAllSubscriptions(deps, actorOf(req), toQuery(req.query));
        return sendCsv(reply, `subscriptions-${deps.clock.now().toISOString().slice(0, 10)}.csv`, csvColumns, rows);
      },
    });

    app.get('/vendor/subscriptions/:id', {
      config,
      schema: {
        tags,
        summary: 'A subscription with its products and seats, keys, orders and account',
        params: idParams,
        response: { 200: vendorSubscriptionDetailsSchema, ...errors },
      },
      handler: async (req) => presentVendorSubscriptionDetails(await getSubscriptionDetails(deps, actorOf(req), req.params.id), deps.clock.now()),
    });

    app.post('/vendor/subscriptions/:id/renewals', {
      config,
      schema: {
        tags,
        summary: 'Renew for another term: from the expiry while running, from today once expired',
        params: idParams,
        body: z.strictObject({ duration }),
        response: { 201: z.object({ subscription: subscriptionSummarySchema, order: orderSchema }), ...errors },
      },
      handler: async (req, reply) => {
        const { subscription, order } = await renewSubscription(deps, actorOf(req), req.params.id, req.body.duration);
        return reply.code(201).send({ subscription: presentSubscription(subscription, deps.clock.now()), order: presentOrder(order) });
      },
    });

    app.post('/vendor/subscriptions/:id/additions', {
      config,
      schema: {
        tags,
        summary: 'Sell more licenses: seats added per product, a new product becomes a new item',
        params: idParams,
        body: z.strictObject({ items: orderLines }),
        response: { 201: z.object({ subscription: subscriptionSummarySchema, items: z.array(itemSchema), order: orderSchema }), ...errors },
      },
      handler: async (req, reply) => {
        const { subscription, items, order } = await addLicenses(deps, actorOf(req), req.params.id, req.body.items);
        return reply.code(201).send({ subscription: presentSubscription(subscription, deps.clock.now()), items: items.map(presentItem), order: presentOrder(order) });
      },
    });

    app.post('/vendor/subscriptions/:id/suspension', {
      config,
      schema: { tags, summary: 'Suspend: its keys stop activating until resumed', params: idParams, response: { 200: z.object({ subscription: subscriptionSummarySchema }), ...errors } },
      handler: async (req) => ({ subscription: presentSubscription(await suspendSubscription(deps, actorOf(req), req.params.id), deps.clock.now()) }),
    });

    app.post('/vendor/subscriptions/:id/edition-trial', {
      config,
      schema: {
        tags,
        summary: "Start a trial of the edition the subscription's product upgrades to, in its account: a subscription of its own, once per account and product",
        params: idParams,
        body: editionChoice,
        response: { 201: issuedSchema, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send(presentIssued(await startEditionTrialAsVendor(deps, actorOf(req), req.params.id, req.body.product), deps.clock.now())),
    });

    app.post('/vendor/subscriptions/:id/conversion', {
      config,
      schema: {
        tags,
        summary: 'Convert to the upgrade edition (Business → Enterprise): same keys and installations, the next check-in brings the new certificate; the account’s trial of it is suspended',
        params: idParams,
        response: { 200: conversionSchema, ...errors },
      },
      handler: async (req) => presentConversion(await convertSubscription(deps, actorOf(req), req.params.id), deps.clock.now()),
    });

    app.post('/vendor/subscriptions/:id/permanent', {
      config,
      schema: {
        tags,
        summary: 'Make a trial a normal subscription on these terms (a new order from today); the subscription it was beside stays as it is',
        params: idParams,
        body: z.strictObject({
          quantity: z.number().int().min(1).max(1_000_000).describe("Seats of the trial's product"),
          duration,
          channel: z.enum(['online', 'reseller']),
          supportPlan: z.enum(['standard', 'premium']).optional().describe("The trial's plan when left out"),
        }),
        response: { 200: z.object({ subscription: subscriptionSummarySchema, items: z.array(itemSchema), order: orderSchema }), ...errors },
      },
      handler: async (req) => {
        const { subscription, items, order } = await makeTrialPermanent(deps, actorOf(req), req.params.id, req.body);
        return { subscription: presentSubscription(subscription, deps.clock.now()), items: items.map(presentItem), order: presentOrder(order) };
      },
    });

    app.delete('/vendor/subscriptions/:id/suspension', {
      config,
      schema: { tags, summary: 'Resume a suspended subscription', params: idParams, response: { 200: z.object({ subscription: subscriptionSummarySchema }), ...errors } },
      handler: async (req) => ({ subscription: presentSubscription(await resumeSubscription(deps, actorOf(req), req.params.id), deps.clock.now()) }),
    });
  };
}
