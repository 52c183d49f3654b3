import { insertAuditEvent } from '../data/repositories/audit-events.js';
import type { Executor } from '../data/executor.js';

/** What a use case changed, as its audit entry records it. */
export interface Change {
  accountId: string | null;
  /** `resource.verb_ed`, as the audit log's filter names it: `installation.activated`. */
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Record<string, unknown>;
}

/**
 * Who made a change: a signed-in person, an installation acting for whoever uses it (no user, its
 * address), or the server itself (null).
 */
export type ChangedBy = { userId: string | null; email: string | null; ip: string | null } | null;

/**
 * The one way every use case records a change it made, and the one place its side effects go:
 * today the audit entry, written inside the transaction that made the change so the log never
 * claims a change that rolled back nor misses one that landed; events and webhooks for the change
 * join here when they come, so no use case repeats them.
 */
export function recordChange(trx: Executor, by: ChangedBy, change: Change, at: Date): Promise<unknown> {
  return insertAuditEvent(trx, { ...change, actorUserId: by?.userId ?? null, actorEmail: by?.email ?? null, ip: by?.ip ?? null, at });
}
