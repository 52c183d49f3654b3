import { insertAuditEvent } from '../data/repositories/audit-events.js';
import type { InTransaction } from '../data/executor.js';
import type { Actor } from '../domain/actor.js';

/**
 * Records one change in the audit log inside the transaction that made it, so the log never
 * claims a change that rolled back nor misses one that landed.
 */
export function audit(
  trx: InTransaction,
  actor: Pick<Actor, 'userId' | 'email' | 'ip'> | null,
  event: { accountId: string | null; action: string; targetType: string; targetId: string | null; details?: Record<string, unknown> },
  at: Date,
) {
  return insertAuditEvent(trx, {
    ...event,
    actorUserId: actor?.userId ?? null,
    actorEmail: actor?.email ?? null,
    ip: actor?.ip ?? null,
    at,
  });
}
