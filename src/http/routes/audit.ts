import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditEventRow, AuditFilter } from '../../data/repositories/audit-events.js';
import { exportAuditLog, listAuditLog } from '../../services/audit-log.js';
import type { Deps } from '../../services/context.js';
import { actorOf } from '../auth.js';
import { sendCsv, type CsvColumn } from '../csv.js';
import { errorResponses as errors } from '../errors.js';
import { auditEventSchema, presentAuditEvent } from '../presenters.js';
import { accountIdParams, email, encodeCursor, pageQuery } from '../schemas/common.js';
import { cursorParam } from '../schemas/paging.js';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).transform((s) => new Date(s));

const filterQuery = z.strictObject({
  action: z.string().trim().min(1).max(100).optional(),
  actor: email.optional(),
  targetType: z.string().trim().min(1).max(100).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

const toFilter = ({ actor, ...rest }: z.infer<typeof filterQuery>): AuditFilter => ({ ...rest, actorEmail: actor });

const csvColumns: CsvColumn<AuditEventRow>[] = [
  { header: 'time', value: (e) => e.created_at.toISOString() },
  { header: 'actor', value: (e) => e.actor_email },
  { header: 'action', value: (e) => e.action },
  { header: 'target_type', value: (e) => e.target_type },
  { header: 'target_id', value: (e) => e.target_id },
  { header: 'ip', value: (e) => e.ip },
  { header: 'details', value: (e) => JSON.stringify(e.details) },
];

export function auditRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/audit-events', {
      schema: {
        tags: ['audit'],
        summary: "The account's audit log, newest first (administrators)",
        params: accountIdParams,
        querystring: filterQuery.extend({ limit: pageQuery.limit, cursor: cursorParam(z.number().int().positive()) }),
        response: { 200: z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const { limit, cursor: beforeId, ...filter } = req.query;
        const page = await listAuditLog(deps, actorOf(req), req.params.accountId, { ...toFilter(filter), beforeId, limit });
        return {
          items: page.items.map(presentAuditEvent),
          nextCursor: page.next === null ? null : encodeCursor(page.next),
        };
      },
    });

    app.get('/accounts/:accountId/audit-events.csv', {
      schema: {
        tags: ['audit'],
        summary: 'Download the matching audit events as CSV (administrators; at most 100,000 rows)',
        params: accountIdParams,
        querystring: filterQuery,
        produces: ['text/csv'],
        response: { 200: z.string().meta({ description: 'time,actor,action,target_type,target_id,ip,details (JSON)' }), ...errors },
      },
      handler: async (req, reply) => {
        const rows = await exportAuditLog(deps, actorOf(req), req.params.accountId, toFilter(req.query));
        return sendCsv(reply, `audit-log-${deps.clock.now().toISOString().slice(0, 10)}.csv`, csvColumns, rows);
      },
    });
  };
}
