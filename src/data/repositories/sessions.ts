import type { Executor } from '../executor.js';

export function insertSession(
  db: Executor,
  s: { userId: string; tokenHash: string; csrfToken: string; ip: string | null; userAgent: string | null; now: Date; expiresAt: Date },
) {
  return db
    .insertInto('sessions')
    .values({
      user_id: s.userId,
      token_hash: s.tokenHash,
      csrf_token: s.csrfToken,
      ip: s.ip,
      user_agent: s.userAgent,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The live session behind a cookie, with its user. */
export function findLiveSession(db: Executor, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.ip',
      'users.id as user_id',
      'users.email',
      'users.is_operator',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export function touchSession(db: Executor, sessionId: string, use: { now: Date; expiresAt: Date; ip: string | null }) {
  return db.updateTable('sessions').set({ last_seen_at: use.now, expires_at: use.expiresAt, ip: use.ip }).where('id', '=', sessionId).execute();
}

export function listUserSessions(db: Executor, userId: string, now: Date) {
  return db
    .selectFrom('sessions')
    .select(['id', 'ip', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function deleteSession(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Ends every session of a user but one (or all, with keep = null). */
export function deleteUserSessions(db: Executor, userId: string, keepSessionId: string | null) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) q = q.where('id', '<>', keepSessionId);
  return q.execute();
}
