import type { UserTokenPurpose } from '../schema.js';
import type { Executor } from '../executor.js';

export function insertUserToken(
  db: Executor,
  t: { userId: string; purpose: UserTokenPurpose; tokenHash: string; expiresAt: Date; now: Date },
) {
  return db
    .insertInto('user_tokens')
    .values({ user_id: t.userId, purpose: t.purpose, token_hash: t.tokenHash, expires_at: t.expiresAt, created_at: t.now })
    .execute();
}

/**
 * Uses up a single-use token: marks it used and returns its user in one statement, so two
 * concurrent uses cannot both succeed. Expired and used tokens return nothing.
 */
export function consumeUserToken(db: Executor, purpose: UserTokenPurpose, tokenHash: string, now: Date) {
  return db
    .updateTable('user_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id'])
    .executeTakeFirst();
}

/** A new reset link retires the older ones, so only the latest emailed link works. */
export function retireUserTokens(db: Executor, userId: string, purpose: UserTokenPurpose, now: Date) {
  return db
    .updateTable('user_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}
