import { closeExpiredInvitations, insertInvitation, type InvitationWithInviter } from '../../data/repositories/invitations.js';
import { findMemberEmails } from '../../data/repositories/memberships.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { findUserById } from '../../data/repositories/users.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import type { Account, Invitation, User } from '../../data/schema.js';
import { addDays } from '../../domain/clock.js';
import { AppError } from '../../domain/errors.js';
import {
  invitationState,
  planInvitations,
  readEmailFile,
  readEmailList,
  type InvitationState,
  type RejectedRow,
  type SkipReason,
} from '../../domain/invitation.js';
import { requireMembershipManaged, type MemberRole } from '../../domain/membership.js';
import { memberInvitation, type InvitationLanguage } from '../../mail/templates.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import { link, type Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import { fullName } from '../users/sign-up.js';
import { runTransaction } from '../../data/transactions.js';

export interface InvitationOptions {
  role: MemberRole;
  language: InvitationLanguage;
  expiresInDays: number;
}

/** The addresses typed in by hand, or an uploaded CSV file to read them from. */
export type InvitationSource = { emails: string[] } | { csv: string };

export type InvitationView = InvitationWithInviter & { state: InvitationState };

export function describeInvitation(invitation: InvitationWithInviter, now: Date): InvitationView {
  return { ...invitation, state: invitationState(invitation, now) };
}

/**
 * Who may send invitations: an administrator of a business account whose own address is
 * confirmed, so the invitations cannot come from an address nobody has proven to own.
 */
export async function authorizeInviter(trx: Executor, actor: Actor, accountId: string): Promise<{ account: Account; inviter: User }> {
  const { account } = await authorizeAccount(trx, actor, accountId, 'invitations.manage');
  requireMembershipManaged(account);
  return { account, inviter: await confirmedInviter(trx, actor) };
}

/** The caller, whose own address must be confirmed before any invitation goes out in their name. */
export async function confirmedInviter(trx: Executor, actor: Actor): Promise<User> {
  const inviter = await findUserById(trx, actor.userId);
  if (!inviter?.email_verified_at) {
    throw new AppError('email_not_verified', 'Confirm your own email address before you invite others');
  }
  return inviter;
}

/** Emails the join link in the invitation's language; the token exists only in this email. */
export function sendInvitationEmail(
  deps: Deps,
  trx: InTransaction,
  s: { invitation: Invitation; token: string; inviter: User; account: Account; now: Date },
) {
  const mail = memberInvitation({
    language: s.invitation.language,
    inviter: fullName(s.inviter),
    account: s.account.name,
    link: link(deps, `/join?token=${s.token}`),
    expiresAt: s.invitation.expires_at,
  });
  return enqueueEmail(trx, { ...mail, to: s.invitation.email, accountId: s.account.id }, s.now);
}

/** The addresses to invite and the rows that hold none, from either source; a file with none to invite is refused. */
export function readInvitationSource(source: InvitationSource): { emails: string[]; rejectedRows: RejectedRow[] } {
  if ('emails' in source) return readEmailList(source.emails);
  const file = readEmailFile(source.csv);
  if (!file.ok) throw new AppError('csv_invalid', file.message, { rejectedRows: file.rejectedRows });
  return file;
}

/**
 * Invites each address once, by hand or from a file alike. Addresses that repeat, belong to a
 * member or have an open invitation are skipped with the reason; an expired invitation of the
 * same address is closed so the new one replaces it. The file is read only once the caller is
 * known to be allowed to invite.
 */
export function inviteMembers(deps: Deps, actor: Actor, accountId: string, source: InvitationSource, options: InvitationOptions) {
  return runTransaction(deps.db, async (trx) => {
    const { account, inviter } = await authorizeInviter(trx, actor, accountId);
    const { emails, rejectedRows } = readInvitationSource(source);
    const now = deps.clock.now();
    const members = await findMemberEmails(trx, accountId, emails.map((e) => e.toLowerCase()));
    const plan = planInvitations(emails, new Map([...members].map((e) => [e, 'already_member' as const])));
    const wanted = plan.filter((p) => p.skip === null).map((p) => p.email.toLowerCase());
    await closeExpiredInvitations(trx, accountId, wanted, now);
    const invited: InvitationView[] = [];
    const skipped: { email: string; reason: SkipReason }[] = [];
    for (const { email, skip } of plan) {
      if (skip) {
        skipped.push({ email, reason: skip });
        continue;
      }
      const token = newSecret('ki');
      const invitation = await insertInvitation(trx, {
        accountId,
        email,
        role: options.role,
        language: options.language,
        tokenHash: hashSecret(token),
        invitedBy: inviter.id,
        expiresAt: addDays(now, options.expiresInDays),
        now,
      });
      if (!invitation) {
        skipped.push({ email, reason: 'already_invited' });
        continue;
      }
      await sendInvitationEmail(deps, trx, { invitation, token, inviter, account, now });
      await recordChange(trx, actor, { accountId, action: 'invitation.created', targetType: 'invitation', targetId: invitation.id, details: { email, role: options.role } }, now);
      invited.push(describeInvitation({ ...invitation, invited_by_email: inviter.email }, now));
    }
    return { invited, skipped, rejectedRows };
  });
}
