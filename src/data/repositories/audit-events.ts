import { sql } from 'kysely';
import type { Executor } from '../executor.js';

export interface NewAuditEvent {
  accountId: string | null;
  actorUserId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Record<string, unknown>;
  ip: string | null;
  at: Date;
}

/** The row of an audit event, as insertAuditEvent and the statement that also queues its webhooks (webhooks.ts) write it. */
export function auditEventRow(e: NewAuditEvent) {
  return {
    account_id: e.accountId,
    actor_user_id: e.actorUserId,
    actor_email: e.actorEmail,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    details: JSON.stringify(e.details ?? {}),
    ip: e.ip,
    created_at: e.at,
  };
}

export function insertAuditEvent(db: Executor, e: NewAuditEvent) {
  return db.insertInto('audit_events').values(auditEventRow(e)).execute();
}

export interface AuditFilter {
  action?: string | undefined;
  actorEmail?: string | undefined;
  targetType?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

function matching(db: Executor, accountId: string, f: AuditFilter) {
  let q = db.selectFrom('audit_events').where('account_id', '=', accountId);
  if (f.action) q = q.where('action', '=', f.action);
  // Equality, not ILIKE: an underscore in an address must not match any character.
  if (f.actorEmail) q = q.where(sql<string>`lower(actor_email)`, '=', f.actorEmail.toLowerCase());
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<', f.to);
  return q;
}

/** Newest first, paged by id so pages stay stable while new events arrive. */
export function listAuditEvents(db: Executor, accountId: string, f: AuditFilter & { beforeId?: number | undefined; limit: number }) {
  let q = matching(db, accountId, f).select([
    'id',
    'actor_user_id',
    'actor_email',
    'action',
    'target_type',
    'target_id',
    'details',
    'ip',
    'created_at',
  ]);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

export type AuditEventRow = Awaited<ReturnType<typeof listAuditEvents>>[number];

/** Counts matching events, but stops at `upTo`: enough to tell whether a limit is exceeded without scanning everything. */
export async function countAuditEvents(db: Executor, accountId: string, f: AuditFilter, upTo: number): Promise<number> {
  const { n } = await db
    .selectFrom(matching(db, accountId, f).select('id').limit(upTo).as('capped'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return n;
}
