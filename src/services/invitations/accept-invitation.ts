import { findAccount } from '../../data/repositories/accounts.js';
import { findInvitationByTokenHash, markInvitationAccepted } from '../../data/repositories/invitations.js';
import { findMembership, insertMembership } from '../../data/repositories/memberships.js';
import { findUserByEmail, findUserById, updateUser } from '../../data/repositories/users.js';
import type { InTransaction } from '../../data/executor.js';
import type { Invitation, User } from '../../data/schema.js';
import { AppError } from '../../domain/errors.js';
import { invitationState, sameEmail } from '../../domain/invitation.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor, Origin } from '../../domain/actor.js';
import { hashPassword } from '../security/passwords.js';
import { hashSecret } from '../security/secrets.js';
import { checkCredentials, openSession, type NewSession } from '../users/sessions.js';
import { insertUserWithPersonalAccount } from '../users/sign-up.js';
import { runTransaction } from '../../data/transactions.js';
import type { MemberRole } from '../../domain/membership.js';

/** An invitation a link may still use; anything else is gone, and an expired one says so. */
function usable(invitation: Invitation | undefined, now: Date): Invitation {
  if (invitation) {
    const state = invitationState(invitation, now);
    if (state === 'pending') return invitation;
    if (state === 'expired') throw new AppError('invitation_expired', 'This invitation has expired; ask the account administrator to send it again');
  }
  throw new AppError('invitation_invalid', 'This invitation link is not valid: it was used, revoked or replaced by a newer one');
}

/** What the join page shows before the invitee decides: where, as whom, and which form to offer. */
export async function previewInvitation(deps: Deps, token: string) {
  const invitation = usable(await findInvitationByTokenHash(deps.db, hashSecret(token), { lock: false }), deps.clock.now());
  const account = await findAccount(deps.db, invitation.account_id);
  if (!account) throw new AppError('invitation_invalid', 'This invitation link is not valid');
  const existingUser = (await findUserByEmail(deps.db, invitation.email)) !== undefined;
  return { accountName: account.name, email: invitation.email, role: invitation.role, expiresAt: invitation.expires_at, existingUser };
}

export interface AcceptInput {
  password?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

export interface Joined {
  accountId: string;
  role: MemberRole;
  user: User;
  /** A session for an invitee who was not signed in. */
  session: NewSession | null;
}

function required(fields: readonly string[], why: string): AppError {
  const issues = fields.map((path) => ({ path, message: 'is required' }));
  return new AppError('validation_failed', `Invalid request: ${fields.join(', ')} ${fields.length > 1 ? 'are' : 'is'} required ${why}`, { issues });
}

/**
 * Joins the invitee to the account. A signed-in invitee joins as themselves; an invitee who has a
 * user gives its password (checked like a sign-in); anyone else becomes a user there and then.
 * The link proves the address, so the invitee's email counts as confirmed.
 */
export async function acceptInvitation(deps: Deps, token: string, input: AcceptInput, caller: Actor | null, origin: Origin): Promise<Joined> {
  const tokenHash = hashSecret(token);
  const invitation = usable(await findInvitationByTokenHash(deps.db, tokenHash, { lock: false }), deps.clock.now());

  if (caller) {
    if (!sameEmail(caller.email, invitation.email)) {
      throw new AppError('invitation_email_mismatch', `This invitation is for ${invitation.email}; sign in with that address to accept it`);
    }
    const user = await join(deps, tokenHash, origin, (trx) => findUserById(trx, caller.userId));
    return { accountId: invitation.account_id, role: invitation.role, user, session: null };
  }

  const existing = await findUserByEmail(deps.db, invitation.email);
  let user: User;
  if (existing) {
    if (!input.password) throw required(['password'], 'to join with your existing user');
    const checked = await checkCredentials(deps, { email: invitation.email, password: input.password }, origin);
    user = await join(deps, tokenHash, origin, async () => checked);
  } else {
    const { firstName, lastName, password } = input;
    if (!firstName || !lastName || !password) {
      throw required((['firstName', 'lastName', 'password'] as const).filter((f) => !input[f]), 'to create your user');
    }
    const passwordHash = await hashPassword(password);
    user = await join(deps, tokenHash, origin, (trx, now) =>
      insertUserWithPersonalAccount(trx, { email: invitation.email, firstName, lastName, passwordHash, verifiedAt: now }, origin, now),
    );
  }
  return { accountId: invitation.account_id, role: invitation.role, user, session: await openSession(deps, user, origin) };
}

/**
 * The one transaction of every acceptance. It locks the invitation first, so of two concurrent
 * uses of a link the second finds it accepted, before the invitee's user is even looked up or made.
 */
function join(deps: Deps, tokenHash: string, origin: Origin, userOf: (trx: InTransaction, now: Date) => Promise<User | undefined>): Promise<User> {
  return runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const invitation = usable(await findInvitationByTokenHash(trx, tokenHash, { lock: true }), now);
    const found = await userOf(trx, now);
    if (!found) throw new AppError('invitation_invalid', 'This invitation link is not valid');
    const { account_id: accountId, role } = invitation;
    if (await findMembership(trx, accountId, found.id)) {
      throw new AppError('already_member', 'You are already a member of this account');
    }
    await insertMembership(trx, { accountId, userId: found.id, role });
    await markInvitationAccepted(trx, invitation.id, found.id, now);
    const user = found.email_verified_at ? found : await updateUser(trx, found.id, { email_verified_at: now }, now);
    const actor = { userId: user.id, email: user.email, ip: origin.ip };
    await recordChange(trx, actor, { accountId, action: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id }, now);
    await recordChange(trx, actor, { accountId, action: 'member.joined', targetType: 'membership', targetId: user.id, details: { role } }, now);
    return user;
  });
}
