import { findLiveApiToken, markApiTokenUsed } from '../../data/repositories/api-tokens.js';
import {
  deleteSession,
  deleteUserSessions,
  findLiveSession,
  insertSession,
  listUserSessions,
  touchSession,
} from '../../data/repositories/sessions.js';
import { findUserByEmail, recordFailedSignIn, updateUser } from '../../data/repositories/users.js';
import type { User } from '../../data/schema.js';
import { addSeconds } from '../../domain/clock.js';
import { AppError, notFound } from '../../domain/errors.js';
import type { Actor, Origin } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { dummyPasswordHash, verifyPassword } from '../security/passwords.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import { enforceRateLimit, SIGN_IN_PER_ADDRESS } from '../rate-limit.js';

/** Sessions slide: each use extends them, and one untouched this long ends. */
export const SESSION_IDLE_SECONDS = 14 * 86_400;
/** Failed passwords in a row that lock the user, and for how long. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_SECONDS = 15 * 60;
// Writing last_seen on every request would make each read a write; once a minute is plenty.
const TOUCH_EVERY_MS = 60_000;

export interface NewSession {
  token: string;
  csrfToken: string;
  sessionId: string;
  expiresAt: Date;
  user: User;
}

export async function openSession(deps: Deps, user: User, origin: Origin): Promise<NewSession> {
  const now = deps.clock.now();
  const token = newSecret('ks');
  const csrfToken = newSecret('kc', 24);
  const expiresAt = addSeconds(now, SESSION_IDLE_SECONDS);
  const session = await insertSession(deps.db, {
    userId: user.id,
    tokenHash: hashSecret(token),
    csrfToken,
    ip: origin.ip,
    userAgent: origin.userAgent,
    now,
    expiresAt,
  });
  return { token, csrfToken, sessionId: session.id, expiresAt, user };
}

/** Checks an email and password the way sign-in does (rate limit per address, lock after failures) and returns the user. */
export async function checkCredentials(deps: Deps, input: { email: string; password: string }, origin: Origin): Promise<User> {
  await enforceRateLimit(deps, SIGN_IN_PER_ADDRESS, origin.ip ?? 'unknown');
  const user = await findUserByEmail(deps.db, input.email);
  const wrong = new AppError('invalid_credentials', 'The email address or password is wrong');
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw wrong;
  }
  const now = deps.clock.now();
  const locked = (until: Date) =>
    new AppError('account_locked', 'Too many failed sign-ins; the account is locked for a while', {
      lockedUntil: until.toISOString(),
    });
  if (user.locked_until && user.locked_until > now) throw locked(user.locked_until);
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const after = await recordFailedSignIn(deps.db, user.id, LOCK_AFTER_FAILURES, addSeconds(now, LOCK_SECONDS));
    if (after.locked_until && after.locked_until > now) throw locked(after.locked_until);
    throw wrong;
  }
  if (user.failed_sign_ins > 0 || user.locked_until) {
    await updateUser(deps.db, user.id, { failed_sign_ins: 0, locked_until: null }, now);
  }
  return user;
}

export async function signIn(deps: Deps, input: { email: string; password: string }, origin: Origin): Promise<NewSession> {
  return openSession(deps, await checkCredentials(deps, input, origin), origin);
}

export interface AuthenticatedSession {
  actor: Actor;
  csrfToken: string | null;
}

export async function authenticateSession(deps: Deps, token: string, ip: string | null): Promise<AuthenticatedSession | null> {
  const now = deps.clock.now();
  const s = await findLiveSession(deps.db, hashSecret(token), now);
  if (!s) return null;
  // A session's place is where it was last used: a move to another network is written at once.
  if (now.getTime() - s.last_seen_at.getTime() > TOUCH_EVERY_MS || s.ip !== ip) {
    await touchSession(deps.db, s.session_id, { now, expiresAt: addSeconds(now, SESSION_IDLE_SECONDS), ip });
  }
  return {
    actor: { userId: s.user_id, email: s.email, isOperator: s.is_operator, sessionId: s.session_id, ip },
    csrfToken: s.csrf_token,
  };
}

export async function authenticateApiToken(deps: Deps, token: string, ip: string | null): Promise<AuthenticatedSession | null> {
  const t = await findLiveApiToken(deps.db, hashSecret(token));
  if (!t) return null;
  await markApiTokenUsed(deps.db, t.token_id, deps.clock.now());
  return { actor: { userId: t.user_id, email: t.email, isOperator: t.is_operator, sessionId: null, ip }, csrfToken: null };
}

export async function signOut(deps: Deps, actor: Actor): Promise<void> {
  if (actor.sessionId) await deleteSession(deps.db, actor.userId, actor.sessionId);
}

export async function listSessions(deps: Deps, actor: Actor) {
  const rows = await listUserSessions(deps.db, actor.userId, deps.clock.now());
  return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
}

export async function revokeSession(deps: Deps, actor: Actor, sessionId: string): Promise<void> {
  if (!(await deleteSession(deps.db, actor.userId, sessionId))) throw notFound('Session');
}

/** Ends every session of the user except the caller's own. */
export function endOtherSessions(deps: Deps, actor: Actor) {
  return deleteUserSessions(deps.db, actor.userId, actor.sessionId);
}
