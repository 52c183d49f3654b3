import { insertAuditEvent } from '../data/repositories/audit-events.js';
import { insertAuditEventWithDeliveries } from '../data/repositories/webhooks.js';
import type { Executor } from '../data/executor.js';
import { webhookEventOf } from '../domain/webhooks.js';

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
 * the audit entry and, when the change is a webhook event (domain/webhooks.ts), a delivery to
 * every endpoint subscribed to it. Both are written inside the transaction that made the change,
 * in one statement, so neither the log nor a receiver ever hears of a change that rolled back,
 * nor misses one that landed, and the change waits for no extra round trip.
 */
export function recordChange(trx: Executor, by: ChangedBy, change: Change, at: Date): Promise<unknown> {
  const entry = { ...change, actorUserId: by?.userId ?? null, actorEmail: by?.email ?? null, ip: by?.ip ?? null, at };
  const event = webhookEventOf({ ...change, by: entry.actorEmail }, at);
  return event ? insertAuditEventWithDeliveries(trx, entry, event) : insertAuditEvent(trx, entry);
}
