import { enqueueEmail } from '../../data/repositories/outbox.js';
import { deleteUserSessions } from '../../data/repositories/sessions.js';
import { consumeUserToken } from '../../data/repositories/user-tokens.js';
import { findUserByEmail, findUserById, lockUserRow, updateUser } from '../../data/repositories/users.js';
import { AppError, notFound } from '../../domain/errors.js';
import { passwordChanged, passwordReset } from '../../mail/templates.js';
import { findPersonalAccount } from '../../data/repositories/accounts.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import type { Actor, Origin } from '../../domain/actor.js';
import { hashPassword, verifyPassword } from '../security/passwords.js';
import { hashSecret } from '../security/secrets.js';
import { EMAIL_REQUESTS_PER_ADDRESS, enforceRateLimit } from '../rate-limit.js';
import { issueUserToken, USER_TOKEN_LIFETIME_SECONDS } from './user-tokens.js';
import { runTransaction } from '../../data/transactions.js';

/** Changes the password after checking the current one, and signs out every other session. */
export async function changePassword(deps: Deps, actor: Actor, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const user = await findUserById(deps.db, actor.userId);
  if (!user) throw notFound('User');
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('invalid_credentials', 'The current password is wrong', { field: 'currentPassword' });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    await updateUser(trx, user.id, { password_hash: passwordHash }, now);
    await deleteUserSessions(trx, user.id, actor.sessionId);
    const personal = await findPersonalAccount(trx, user.id);
    await recordChange(trx, actor, { accountId: personal?.id ?? null, action: 'user.password_changed', targetType: 'user', targetId: user.id }, now);
    await enqueueEmail(trx, { ...passwordChanged({ firstName: user.first_name }), to: user.email }, now);
  });
}

/**
 * Emails a reset link when the address belongs to a user. The answer is the same either way, so
 * the endpoint does not tell strangers which addresses have accounts.
 */
export async function requestPasswordReset(deps: Deps, email: string, origin: Origin): Promise<void> {
  await enforceRateLimit(deps, EMAIL_REQUESTS_PER_ADDRESS, origin.ip ?? 'unknown');
  await runTransaction(deps.db, async (trx) => {
    const user = await findUserByEmail(trx, email);
    if (!user) return;
    const now = deps.clock.now();
    const token = await issueUserToken(trx, user.id, 'reset_password', now);
    const mail = passwordReset({
      firstName: user.first_name,
      link: link(deps, `/reset-password?token=${token}`),
      minutes: USER_TOKEN_LIFETIME_SECONDS.reset_password / 60,
    });
    await enqueueEmail(trx, { ...mail, to: user.email }, now);
  });
}

/**
 * Sets a new password from an emailed token; all sessions end and a sign-in lock is lifted.
 * Answers the account's address, for the sign-in that follows.
 */
export async function resetPassword(deps: Deps, input: { token: string; password: string }, origin: Origin): Promise<{ email: string }> {
  const passwordHash = await hashPassword(input.password);
  return runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const used = await consumeUserToken(trx, 'reset_password', hashSecret(input.token), now);
    if (!used) throw new AppError('user_token_invalid', 'This reset link is invalid, used or expired; ask for a new one');
    const user = await lockUserRow(trx, used.user_id);
    if (!user) throw new AppError('user_token_invalid', 'This reset link is invalid, used or expired; ask for a new one');
    // Receiving the link proves the address, so a reset also confirms it.
    await updateUser(
      trx,
      user.id,
      { password_hash: passwordHash, failed_sign_ins: 0, locked_until: null, email_verified_at: user.email_verified_at ?? now },
      now,
    );
    await deleteUserSessions(trx, user.id, null);
    const personal = await findPersonalAccount(trx, user.id);
    await recordChange(
      trx,
      { userId: user.id, email: user.email, ip: origin.ip },
      { accountId: personal?.id ?? null, action: 'user.password_reset', targetType: 'user', targetId: user.id },
      now,
    );
    return { email: user.email };
  });
}
