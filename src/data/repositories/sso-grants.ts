import { isUniqueViolation } from '../failures.js';
import { sql } from 'kysely';
import type { Executor, InTransaction } from '../executor.js';
import type { SsoGrant } from '../schema.js';

export interface NewGrant {
  accountId: string;
  purpose: 'activation' | 'test';
  productCode: string | null;
  deviceCodeHash: string | null;
  userCode: string | null;
  requestedBy: string | null;
  providerVersion: number;
  intervalSeconds: number;
  expiresAt: Date;
  now: Date;
}

export function insertGrant(db: Executor, g: NewGrant): Promise<SsoGrant> {
  return db
    .insertInto('sso_grants')
    .values({
      account_id: g.accountId,
      purpose: g.purpose,
      product_code: g.productCode,
      device_code_hash: g.deviceCodeHash,
      user_code: g.userCode,
      requested_by: g.requestedBy,
      provider_version: g.providerVersion,
      interval_seconds: g.intervalSeconds,
      created_at: g.now,
      expires_at: g.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function isUserCodeTaken(err: unknown): boolean {
  return isUniqueViolation(err, 'sso_grants_user_code_key');
}

/** A pending grant by the code the person typed, still open. */
export function findPendingGrantByUserCode(db: Executor, userCode: string, now: Date): Promise<SsoGrant | undefined> {
  return db.selectFrom('sso_grants').selectAll().where('user_code', '=', userCode).where('status', '=', 'pending').where('expires_at', '>', now).executeTakeFirst();
}

/** Records the checks of the sign-in the person is sent to; the state names the grant when they come back. */
export async function startGrantSignIn(db: Executor, grantId: string, s: { state: string; nonce: string; codeVerifierSealed: string }): Promise<void> {
  await db.updateTable('sso_grants').set({ oidc_state: s.state, nonce: s.nonce, code_verifier_sealed: s.codeVerifierSealed }).where('id', '=', grantId).execute();
}

export function findGrantByState(db: Executor, state: string): Promise<SsoGrant | undefined> {
  return db.selectFrom('sso_grants').selectAll().where('oidc_state', '=', state).executeTakeFirst();
}

/** The grant a provider's redirect comes back for, locked: a second arrival of the same redirect waits and then finds it settled. */
export function lockGrantByState(trx: InTransaction, state: string): Promise<SsoGrant | undefined> {
  return trx.selectFrom('sso_grants').selectAll().where('oidc_state', '=', state).forUpdate().executeTakeFirst();
}

export async function settleGrant(db: Executor, grantId: string, s: { status: 'approved' | 'denied'; directoryUserId: string | null; denial: string | null }): Promise<void> {
  await db
    .updateTable('sso_grants')
    .set({ status: s.status, directory_user_id: s.directoryUserId, denial: s.denial, oidc_state: null, nonce: null, code_verifier_sealed: null })
    .where('id', '=', grantId)
    .execute();
}

/**
 * Records a device's poll and answers the grant as it stood, with when the device asked before:
 * one statement, so two polls at once each see the other's time. Asking too soon makes the
 * interval longer (RFC 8628 §3.5: slow_down adds to it for every later request).
 */
export async function pollGrant(db: Executor, deviceCodeHash: string, now: Date, slowDownSeconds: number): Promise<(SsoGrant & { previous_poll_at: Date | null }) | undefined> {
  const { rows } = await sql<SsoGrant & { previous_poll_at: Date | null }>`
    UPDATE sso_grants g SET last_polled_at = ${now},
      interval_seconds = CASE WHEN g.status = 'pending' AND p.last_polled_at IS NOT NULL
        AND p.last_polled_at > ${now}::timestamptz - make_interval(secs => g.interval_seconds)
        THEN g.interval_seconds + ${slowDownSeconds} ELSE g.interval_seconds END
    FROM (SELECT id, last_polled_at FROM sso_grants WHERE device_code_hash = ${deviceCodeHash} FOR UPDATE) p
    WHERE g.id = p.id
    RETURNING g.*, p.last_polled_at AS previous_poll_at`.execute(db);
  return rows[0];
}

/** The approved grant an activation uses, locked for the activation's transaction. */
export function lockGrant(trx: InTransaction, grantId: string): Promise<SsoGrant | undefined> {
  return trx.selectFrom('sso_grants').selectAll().where('id', '=', grantId).forUpdate().executeTakeFirst();
}

export async function consumeGrant(trx: InTransaction, grantId: string, fingerprint: string): Promise<void> {
  await trx.updateTable('sso_grants').set({ status: 'consumed', consumed_fingerprint: fingerprint }).where('id', '=', grantId).execute();
}

/** Forgets grants past their expiry by a day (a used one is kept that long so a lost answer can be fetched again). */
export async function purgeExpiredGrants(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('sso_grants').where('expires_at', '<', new Date(now.getTime() - 86_400_000)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
