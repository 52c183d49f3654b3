import { sql } from 'kysely';
import type { OutboxMessage } from '../schema.js';
import type { Executor, InTransaction } from '../executor.js';

export interface NewEmail {
  template: string;
  to: string;
  subject: string;
  text: string;
  accountId?: string | null;
}

/** Called inside the transaction of the change that causes the email, so both land or neither. */
export function enqueueEmail(db: InTransaction, email: NewEmail, now: Date) {
  return db
    .insertInto('outbox')
    .values({
      template: email.template,
      to_address: email.to,
      subject: email.subject,
      text_body: email.text,
      account_id: email.accountId ?? null,
      next_attempt_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * Claims due messages for one worker: they are pushed `leaseSeconds` into the future so other
 * workers skip them, and a worker that dies mid-send leaves them to be retried after the lease.
 */
export async function claimDueEmails(db: Executor, now: Date, limit: number, leaseSeconds: number): Promise<OutboxMessage[]> {
  const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000);
  const result = await sql<OutboxMessage>`
    UPDATE outbox SET next_attempt_at = ${leaseUntil}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox
      WHERE status = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING *`.execute(db);
  return result.rows;
}

export function markEmailSent(db: Executor, id: string, messageId: string | null, now: Date) {
  return db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now, message_id: messageId, last_error: null })
    .where('id', '=', id)
    .execute();
}

export function markEmailAttemptFailed(db: Executor, id: string, error: string, retryAt: Date | null) {
  return db
    .updateTable('outbox')
    .set(retryAt ? { last_error: error, next_attempt_at: retryAt } : { last_error: error, status: 'failed' })
    .where('id', '=', id)
    .execute();
}

export function listOutbox(db: Executor, f: { to?: string | undefined; limit: number }) {
  let q = db.selectFrom('outbox').selectAll();
  if (f.to) q = q.where(sql<string>`lower(to_address)`, '=', f.to.toLowerCase());
  return q.orderBy('created_at', 'desc').orderBy('id').limit(f.limit).execute();
}

export function findOutboxMessage(db: Executor, id: string) {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}
