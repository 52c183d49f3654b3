import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INSTALLATION_ACTIONS } from '../../domain/installation-actions.js';
import type { Deps } from '../../services/context.js';
import { exportAccountInstallations, getInstallation, keyUsage, listAccountInstallations, summarizeAccountInstallations } from '../../services/installations/list-installations.js';
import { actOnInstallations, updateInstallation } from '../../services/installations/manage-installations.js';
import { actorOf } from '../auth.js';
import { sendCsv } from '../csv.js';
import { errorResponses as errors } from '../errors.js';
import {
  actionResultSchema,
  installationCsvColumns,
  installationDetailsSchema,
  installationRowSchema,
  installationSummarySchema,
  keyUsageSchema,
  LIST_COLUMN_NAMES,
  presentInstallationDetails,
  presentInstallationRow,
  presentInstallationSummary,
  presentKeyUsage,
} from '../installation-presenters.js';
import { accountIdParams, keyParams, pageQuery, uuid } from '../schemas/common.js';
import { sortedPaging } from '../schemas/paging.js';

const installationParams = accountIdParams.extend({ installationId: uuid });
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).transform((s) => new Date(s));

const columnsParam = z
  .string()
  .max(500)
  .transform((s) => s.split(',').map((c) => c.trim()).filter((c) => c.length > 0))
  .pipe(z.array(z.enum(LIST_COLUMN_NAMES)).min(1, 'name at least one column'))
  .optional()
  .transform((c) => c ?? LIST_COLUMN_NAMES)
  .describe(`Comma-separated columns to show (default all): ${LIST_COLUMN_NAMES.join(', ')}`);

const filterQuery = z.strictObject({
  keyId: uuid.optional(),
  subscriptionId: uuid.optional(),
  product: z.string().trim().min(1).max(50).optional(),
  profile: z
    .string()
    .refine((v) => v === 'default' || uuid.safeParse(v).success, 'must be the id of a configuration profile or default')
    .optional()
    .describe("By the key's configuration profile: its id, or default for the built-in Default"),
  groupId: uuid.optional().describe("The installations on this user group's sublicense"),
  state: z.enum(['all', 'active', 'deactivated', 'blacklisted']).default('all'),
  expiry: z.enum(['all', 'expiring_soon', 'expired']).default('all').describe("By the license expiry that applies: the key's own date or its subscription's; expiring soon is within 30 days"),
  q: z.string().trim().min(1).max(100).optional().describe('Part of the name, alias, user name, host OS, fingerprint, serial number, MAC or IP address'),
  sort: z.enum(['lastSeen', 'activatedAt', 'name', 'expiresAt']).default('lastSeen').describe('ties are broken by id'),
  order: z.enum(['asc', 'desc']).default('desc'),
  columns: columnsParam,
});

type FilterQuery = z.output<typeof filterQuery>;

// A sort value as the database prints it: any name, or a time (timestamptz text; infinity for no expiry).
const printedTime = z.iso.datetime({ offset: true });
const paging = sortedPaging<FilterQuery['sort']>(
  (sort, value) =>
    sort === 'name' || (sort === 'expiresAt' && value === 'infinity') || printedTime.safeParse(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).success,
);

const listInput = ({ order, columns: _columns, ...filter }: FilterQuery) => ({ ...filter, descending: order === 'desc' });

const actionBody = z
  .strictObject({
    action: z.enum(INSTALLATION_ACTIONS),
    installationIds: z.array(uuid).min(1).max(500),
    targetKeyId: uuid.optional().describe('move: the key to move to, of the same account and product'),
  })
  .refine((b) => (b.action === 'move') === (b.targetKeyId !== undefined), { message: 'targetKeyId goes with move, and only with move', path: ['targetKeyId'] });

export function installationsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/installations', {
      schema: {
        tags: ['installations'],
        summary: "The account's installations (computers, farms, proxy servers): filters, search, sort, chosen columns, keyset paging",
        params: accountIdParams,
        querystring: filterQuery.extend({ limit: pageQuery.limit, cursor: paging.cursor }).superRefine(paging.refine),
        response: { 200: z.object({ items: z.array(installationRowSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const { limit, cursor, ...query } = req.query;
        const page = await listAccountInstallations(deps, actorOf(req), req.params.accountId, { ...listInput(query), limit, after: cursor });
        return {
          items: page.items.map((row) => presentInstallationRow(row, query.columns)),
          nextCursor: paging.next(query, page.next),
        };
      },
    });

    app.get('/accounts/:accountId/installations/summary', {
      schema: {
        tags: ['installations'],
        summary: 'How many installations of each product are active, deactivated and blacklisted, counted exactly',
        description: 'A License Administrator counts the installations of the keys granted to them; a product with no installations is left out',
        params: accountIdParams,
        querystring: z.strictObject({}),
        response: { 200: installationSummarySchema, ...errors },
      },
      handler: async (req) => presentInstallationSummary(await summarizeAccountInstallations(deps, actorOf(req), req.params.accountId)),
    });

    app.get('/accounts/:accountId/installations.csv', {
      schema: {
        tags: ['installations'],
        summary: 'Download the list as shown (same filters, order and columns) as CSV',
        params: accountIdParams,
        querystring: filterQuery,
        produces: ['text/csv'],
        response: { 200: z.string().meta({ description: 'id, then the chosen columns' }), ...errors },
      },
      handler: async (req, reply) => {
        const rows = await exportAccountInstallations(deps, actorOf(req), req.params.accountId, listInput(req.query));
        return sendCsv(reply, `installations-${deps.clock.now().toISOString().slice(0, 10)}.csv`, installationCsvColumns(req.query.columns), rows);
      },
    });

    app.post('/accounts/:accountId/installations/actions', {
      schema: {
        tags: ['installations'],
        summary: 'Deactivate, blacklist, unblacklist or move up to 500 installations, answered per installation',
        description:
          'deactivate and move take effect at the next check-in; blacklisting deactivates at once and keeps the machine from activating with that key again',
        params: accountIdParams,
        body: actionBody,
        response: { 200: z.object({ results: z.array(actionResultSchema) }), ...errors },
      },
      handler: async (req) => ({ results: await actOnInstallations(deps, actorOf(req), req.params.accountId, req.body) }),
    });

    app.get('/accounts/:accountId/installations/:installationId', {
      schema: {
        tags: ['installations'],
        summary: 'An installation: general facts, hardware, and peak usage per report date',
        params: installationParams,
        response: { 200: installationDetailsSchema, ...errors },
      },
      handler: async (req) => presentInstallationDetails(await getInstallation(deps, actorOf(req), req.params.accountId, req.params.installationId)),
    });

    app.patch('/accounts/:accountId/installations/:installationId', {
      schema: {
        tags: ['installations'],
        summary: "Set an installation's alias or notes",
        params: installationParams,
        body: z
          .strictObject({ alias: z.string().trim().min(1).max(200).nullable().optional(), notes: z.string().max(5000).optional() })
          .refine((b) => b.alias !== undefined || b.notes !== undefined, 'name an alias or notes to change'),
        response: { 200: installationDetailsSchema, ...errors },
      },
      handler: async (req) =>
        presentInstallationDetails(await updateInstallation(deps, actorOf(req), req.params.accountId, req.params.installationId, req.body)),
    });

    app.get('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId/usage', {
      schema: {
        tags: ['installations'],
        summary: "A key's peak usage per day (UTC): the sum of its installations' daily peaks, and each installation's",
        params: keyParams,
        querystring: z.strictObject({ from: instant.optional().describe('default: 30 days before to'), to: instant.optional().describe('default: now') }),
        response: { 200: keyUsageSchema, ...errors },
      },
      handler: async (req) => {
        const { accountId, subscriptionId, keyId } = req.params;
        return presentKeyUsage(await keyUsage(deps, actorOf(req), accountId, subscriptionId, keyId, req.query));
      },
    });
  };
}
