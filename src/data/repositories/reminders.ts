import { sql } from 'kysely';
import type { Executor } from '../executor.js';

export interface DueReminder {
  subscriptionId: string;
  name: string;
  accountId: string | null;
  customerEmail: string;
  expiresAt: Date;
  autoRenew: boolean;
  daysBefore: number;
}

/**
 * Active subscriptions that have reached a reminder threshold (the nearest one) without having
 * been reminded at it for their current expiry.
 */
export async function findDueReminders(db: Executor, now: Date, thresholds: readonly number[], limit: number): Promise<DueReminder[]> {
  const widest = Math.max(...thresholds);
  const { rows } = await sql<DueReminder>`
    SELECT s.id AS "subscriptionId", s.name, s.account_id AS "accountId", s.customer_email AS "customerEmail",
           s.expires_at AS "expiresAt", s.auto_renew AS "autoRenew", due.days AS "daysBefore"
    FROM subscriptions s
    CROSS JOIN LATERAL (
      SELECT min(d) AS days FROM unnest(${thresholds}::int[]) AS d
      WHERE s.expires_at <= ${now}::timestamptz + make_interval(days => d)
    ) due
    WHERE s.status = 'active'
      AND s.expires_at > ${now}::timestamptz
      AND s.expires_at <= ${now}::timestamptz + make_interval(days => ${widest}::int)
      AND NOT EXISTS (
        SELECT 1 FROM subscription_reminders r
        WHERE r.subscription_id = s.id AND r.expires_at = s.expires_at AND r.days_before <= due.days
      )
    ORDER BY s.expires_at
    LIMIT ${limit}
  `.execute(db);
  return rows.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
}

/** The day of expiry itself, as a reminder's threshold: a subscription that expired is announced once per expiry. */
export const EXPIRED = 0;

/**
 * Active subscriptions that expired in the last `lookbackDays` and were not announced as expired
 * for that expiry; older expiries (before the server ran) are not announced late.
 */
export async function findUnannouncedExpiries(db: Executor, now: Date, lookbackDays: number, limit: number): Promise<DueReminder[]> {
  const { rows } = await sql<DueReminder>`
    SELECT s.id AS "subscriptionId", s.name, s.account_id AS "accountId", s.customer_email AS "customerEmail",
           s.expires_at AS "expiresAt", s.auto_renew AS "autoRenew", ${EXPIRED}::int AS "daysBefore"
    FROM subscriptions s
    WHERE s.status = 'active'
      AND s.expires_at <= ${now}::timestamptz
      AND s.expires_at > ${now}::timestamptz - make_interval(days => ${lookbackDays}::int)
      AND NOT EXISTS (
        SELECT 1 FROM subscription_reminders r
        WHERE r.subscription_id = s.id AND r.expires_at = s.expires_at AND r.days_before = ${EXPIRED}
      )
    ORDER BY s.expires_at
    LIMIT ${limit}
  `.execute(db);
  return rows.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
}

/** Claims a reminder; false when another process (or an earlier run) already sent it. */
export async function claimReminder(db: Executor, r: Pick<DueReminder, 'subscriptionId' | 'expiresAt' | 'daysBefore'>, now: Date): Promise<boolean> {
  const row = await db
    .insertInto('subscription_reminders')
    .values({ subscription_id: r.subscriptionId, expires_at: r.expiresAt, days_before: r.daysBefore, sent_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('subscription_id')
    .executeTakeFirst();
  return row !== undefined;
}
