import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { catalogProductSchema } from '../../domain/catalog.js';
import { DURATIONS } from '../../domain/subscription.js';
import type { Deps } from '../../services/context.js';
import { getAccountDetails } from '../../services/vendor/account-details.js';
import { addLicenses } from '../../services/vendor/add-licenses.js';
import { issueTrial } from '../../services/vendor/issue-trial.js';
import { listCatalog } from '../../services/vendor/list-products.js';
import { listAllOrders } from '../../services/vendor/list-orders.js';
import { setAccountOfflineActivation } from '../../services/vendor/offline-activation.js';
import { placeOrder } from '../../services/vendor/place-order.js';
import { putProduct } from '../../services/vendor/put-product.js';
import { renewSubscription } from '../../services/vendor/renew-subscription.js';
import { listAllAccounts } from '../../services/vendor/search-accounts.js';
import { exportAllSubscriptions, listAllSubscriptions, type ListedSubscription } from '../../services/vendor/search-subscriptions.js';
import { getSubscriptionDetails } from '../../services/vendor/subscription-details.js';
import { resumeSubscription, suspendSubscription } from '../../services/vendor/suspension.js';
import { actorOf } from '../auth.js';
import { sendCsv, type CsvColumn } from '../csv.js';
import { errorResponses as errors } from '../errors.js';
import { accountSchema, memberSchema, presentAccount, presentMember, presentSubscription, subscriptionSummarySchema } from '../presenters.js';
import { email, encodeCursor, pageQuery, uuid } from '../schemas/common.js';
import { cursorParam } from '../schemas/paging.js';
import {
  issuedSchema,
  itemSchema,
  orderSchema,
  presentIssued,
  presentItem,
  presentListedSubscription,
  presentOrder,
  presentVendorSubscriptionDetails,
  vendorSubscriptionDetailsSchema,
  vendorSubscriptionSchema,
} from '../vendor-presenters.js';

// Every route here is for vendor operators only: the auth hook refuses anyone else with 403
// operator_only before the input is read, and each use case checks again.
const config = { operator: true };
const tags = ['vendor'];

const idParams = z.strictObject({ id: uuid });
const duration = z.enum(DURATIONS).describe('1m (online only), 1y, 2y or 3y');
const licenseType = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .nullable()
  .optional()
  .transform((t) => t ?? null)
  .describe('Required for products sold by license type (device-management: desktop or mobile)');
const orderLine = z.strictObject({
  productCode: z.string().trim().min(1).max(50),
  licenseType,
  quantity: z.number().int().min(1).max(1_000_000),
});
const orderLines = z.array(orderLine).min(1).max(20);
const search = z.string().trim().min(1).max(200);

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
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const cursorOf = (next: unknown) => (next === null ? null : encodeCursor(next));

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

export function vendorRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/vendor/products', {
      config,
      schema: { tags, summary: 'The product catalog: each product with its licensing model and parameters, and its support address', response: { 200: z.object({ items: z.array(catalogProductSchema) }), ...errors } },
      handler: async (req) => ({ items: await listCatalog(deps, actorOf(req)) }),
    });

    app.put('/vendor/products/:code', {
      config,
      schema: {
        tags,
        summary: 'Add a product to the catalog, or replace its definition (201 when new); products are never deleted',
        params: z.strictObject({ code: catalogProductSchema.shape.code }),
        body: catalogProductSchema.omit({ code: true }),
        response: { 200: z.object({ product: catalogProductSchema }), 201: z.object({ product: catalogProductSchema }), ...errors },
      },
      handler: async (req, reply) => {
        const { product, created } = await putProduct(deps, actorOf(req), { ...req.body, code: req.params.code });
        return reply.code(created ? 201 : 200).send({ product });
      },
    });

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

    app.delete('/vendor/subscriptions/:id/suspension', {
      config,
      schema: { tags, summary: 'Resume a suspended subscription', params: idParams, response: { 200: z.object({ subscription: subscriptionSummarySchema }), ...errors } },
      handler: async (req) => ({ subscription: presentSubscription(await resumeSubscription(deps, actorOf(req), req.params.id), deps.clock.now()) }),
    });

    app.get('/vendor/accounts', {
      config,
      schema: {
        tags,
        summary: "Search customer accounts by part of the name, the support code or part of a member's email",
        querystring: z.strictObject({ search: search.optional(), limit: pageQuery.limit, cursor: cursorParam(z.object({ name: z.string(), id: uuid })) }),
        response: { 200: page(accountSchema), ...errors },
      },
      handler: async (req) => {
        const { cursor, ...q } = req.query;
        const result = await listAllAccounts(deps, actorOf(req), { ...q, after: cursor });
        return { items: result.items.map(presentAccount), nextCursor: cursorOf(result.next) };
      },
    });

    app.get('/vendor/accounts/:id', {
      config,
      schema: {
        tags,
        summary: 'A customer account with its members and subscriptions (the first 200 of each)',
        params: idParams,
        response: {
          200: z.object({
            account: accountSchema,
            members: z.array(memberSchema),
            moreMembers: z.boolean(),
            subscriptions: z.array(vendorSubscriptionSchema),
            moreSubscriptions: z.boolean(),
          }),
          ...errors,
        },
      },
      handler: async (req) => {
        const d = await getAccountDetails(deps, actorOf(req), req.params.id);
        const now = deps.clock.now();
        return {
          account: presentAccount(d.account),
          members: d.members.map(presentMember),
          moreMembers: d.moreMembers,
          subscriptions: d.subscriptions.map((s) => presentListedSubscription(s, now)),
          moreSubscriptions: d.moreSubscriptions,
        };
      },
    });

    app.put('/vendor/accounts/:id/offline-activation', {
      config,
      schema: {
        tags,
        summary: "Turn offline activation on or off for a customer account (audited in the account's log)",
        params: idParams,
        body: z.strictObject({ enabled: z.boolean() }),
        response: { 200: z.object({ account: accountSchema }), ...errors },
      },
      handler: async (req) => ({ account: presentAccount(await setAccountOfflineActivation(deps, actorOf(req), req.params.id, req.body.enabled)) }),
    });
  };
}
