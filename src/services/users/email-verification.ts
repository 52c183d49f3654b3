import { enqueueEmail } from '../../data/repositories/outbox.js';
import { consumeUserToken } from '../../data/repositories/user-tokens.js';
import { findUserById, updateUser } from '../../data/repositories/users.js';
import { AppError, notFound } from '../../domain/errors.js';
import { verifyEmail } from '../../mail/templates.js';
import type { Actor } from '../../domain/actor.js';
import { link, type Deps } from '../context.js';
import { hashSecret } from '../security/secrets.js';
import { issueUserToken } from './user-tokens.js';
import { runTransaction } from '../../data/transactions.js';

/** Confirms the address the token was sent to; answers that address, for the sign-in that follows. */
export async function confirmEmail(deps: Deps, token: string): Promise<{ email: string }> {
  return runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const used = await consumeUserToken(trx, 'verify_email', hashSecret(token), now);
    if (!used) throw new AppError('user_token_invalid', 'This confirmation link is invalid, used or expired; ask for a new one');
    const user = await updateUser(trx, used.user_id, { email_verified_at: now }, now);
    return { email: user.email };
  });
}

export async function resendEmailConfirmation(deps: Deps, actor: Actor): Promise<void> {
  await runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const user = await findUserById(trx, actor.userId);
    if (!user) throw notFound('User');
    if (user.email_verified_at) return;
    const token = await issueUserToken(trx, user.id, 'verify_email', now);
    await enqueueEmail(trx, { ...verifyEmail({ firstName: user.first_name, link: link(deps, `/verify-email?token=${token}`) }), to: user.email }, now);
  });
}
