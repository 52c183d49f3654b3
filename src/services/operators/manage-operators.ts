import type { InTransaction } from '../../data/executor.js';
import { findPersonalAccount } from '../../data/repositories/accounts.js';
import { deleteUserSessions } from '../../data/repositories/sessions.js';
import { findUserByEmail, insertUser, lockUserRow, updateUser } from '../../data/repositories/users.js';
import { runTransaction } from '../../data/transactions.js';
import { AppError, notFound } from '../../domain/errors.js';
import { insertAccountWithAdmin } from '../accounts/create-account.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { hashPassword } from '../security/passwords.js';
import { newSecret } from '../security/secrets.js';

/**
 * Vendor operators managed from the server's own machine (`keyline vendor operators …`), against
 * its database: whoever has a shell there may already read everything, so no API caller can do
 * this, and a lost operator password can always be replaced.
 */

export interface OperatorLogin {
  email: string;
  password: string;
}

/** A password for a person to type once and change: 16 characters of a random secret. */
export const newOperatorPassword = (): string => newSecret('op', 12).slice(3);

/** An operator with a personal account, as every user has one; the email counts as confirmed. */
export async function insertOperator(trx: InTransaction, person: { email: string; firstName: string; lastName: string; passwordHash: string }, now: Date) {
  const user = await insertUser(trx, { ...person, verifiedAt: now, isOperator: true });
  await insertAccountWithAdmin(trx, { kind: 'personal', name: `${person.firstName} ${person.lastName}`, adminUserId: user.id });
  return user;
}

export async function createOperator(deps: Deps, input: { email: string; firstName: string; lastName: string; password: string }): Promise<OperatorLogin> {
  const passwordHash = await hashPassword(input.password);
  return runTransaction(deps.db, async (trx) => {
    if (await findUserByEmail(trx, input.email)) {
      throw new AppError('email_taken', 'A user with this email address already exists', { field: 'email' });
    }
    const now = deps.clock.now();
    const user = await insertOperator(trx, { email: input.email, firstName: input.firstName, lastName: input.lastName, passwordHash }, now);
    const personal = await findPersonalAccount(trx, user.id);
    await recordChange(trx, null, { accountId: personal?.id ?? null, action: 'operator.created', targetType: 'user', targetId: user.id }, now);
    return { email: user.email, password: input.password };
  });
}

/** A new password for an operator: every session ends and a sign-in lock is lifted, as a reset by email does. */
export async function resetOperatorPassword(deps: Deps, email: string, password: string): Promise<OperatorLogin> {
  const passwordHash = await hashPassword(password);
  return runTransaction(deps.db, async (trx) => {
    const found = await findUserByEmail(trx, email);
    const user = found && (await lockUserRow(trx, found.id));
    if (!user?.is_operator) throw notFound('Operator');
    const now = deps.clock.now();
    await updateUser(trx, user.id, { password_hash: passwordHash, failed_sign_ins: 0, locked_until: null }, now);
    await deleteUserSessions(trx, user.id, null);
    const personal = await findPersonalAccount(trx, user.id);
    await recordChange(trx, null, { accountId: personal?.id ?? null, action: 'operator.password_reset', targetType: 'user', targetId: user.id }, now);
    return { email: user.email, password };
  });
}
