import type { CompanyDetails } from '../../data/repositories/accounts.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { findUserByEmail, insertUser } from '../../data/repositories/users.js';
import type { InTransaction } from '../../data/executor.js';
import type { User } from '../../data/schema.js';
import { AppError } from '../../domain/errors.js';
import { verifyEmail } from '../../mail/templates.js';
import { insertAccountWithAdmin } from '../accounts/create-account.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import type { Origin } from '../../domain/actor.js';
import { hashPassword } from '../security/passwords.js';
import { issueUserToken } from './user-tokens.js';
import { runTransaction } from '../../data/transactions.js';

export interface SignUpInput {
  email: string;
  firstName: string;
  lastName: string;
  password: string;
  /** "I represent a company": a business account is created in the same step. */
  company?: CompanyDetails | undefined;
}

export function fullName(u: Pick<User, 'first_name' | 'last_name'>): string {
  return `${u.first_name} ${u.last_name}`.trim();
}

/**
 * Inserts a user with their personal account, every user's home; the caller owns the transaction.
 * `verifiedAt` is set when the address is already proven, as by an emailed invitation link.
 */
export async function insertUserWithPersonalAccount(
  trx: InTransaction,
  input: { email: string; firstName: string; lastName: string; passwordHash: string; verifiedAt: Date | null },
  origin: Origin,
  now: Date,
): Promise<User> {
  if (await findUserByEmail(trx, input.email)) {
    throw new AppError('email_taken', 'An account with this email address already exists', { field: 'email' });
  }
  const user = await insertUser(trx, input);
  const personal = await insertAccountWithAdmin(trx, { kind: 'personal', name: fullName(user), adminUserId: user.id });
  await recordChange(trx, { userId: user.id, email: user.email, ip: origin.ip }, { accountId: personal.id, action: 'user.signed_up', targetType: 'user', targetId: user.id }, now);
  return user;
}

/**
 * Creates a user with their personal account (and a business account when they represent a
 * company) and emails a link to confirm the address.
 */
export async function signUp(deps: Deps, input: SignUpInput, origin: Origin): Promise<{ user: User; businessAccountId: string | null }> {
  const passwordHash = await hashPassword(input.password);
  return runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const user = await insertUserWithPersonalAccount(trx, { ...input, passwordHash, verifiedAt: null }, origin, now);
    const actor = { userId: user.id, email: user.email, ip: origin.ip };
    let businessAccountId: string | null = null;
    if (input.company) {
      const business = await insertAccountWithAdmin(trx, { kind: 'business', company: input.company, adminUserId: user.id });
      businessAccountId = business.id;
      await recordChange(trx, actor, { accountId: business.id, action: 'account.created', targetType: 'account', targetId: business.id }, now);
    }
    const token = await issueUserToken(trx, user.id, 'verify_email', now);
    const mail = verifyEmail({ firstName: user.first_name, link: link(deps, `/verify-email?token=${token}`) });
    await enqueueEmail(trx, { ...mail, to: user.email }, now);
    return { user, businessAccountId };
  });
}
