import {
  listInvitations,
  lockInvitation,
  renewInvitation,
  revokeInvitation as markRevoked,
  type InvitationListFilter,
} from '../../data/repositories/invitations.js';
import type { InTransaction } from '../../data/executor.js';
import { addSeconds } from '../../domain/clock.js';
import { AppError, notFound } from '../../domain/errors.js';
import { invitationLifetimeSeconds, invitationState } from '../../domain/invitation.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { keysetPage } from '../paging.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import { authorizeInviter, describeInvitation, sendInvitationEmail } from './invite-members.js';
import { runTransaction } from '../../data/transactions.js';

export async function listAccountInvitations(deps: Deps, actor: Actor, accountId: string, filter: Omit<InvitationListFilter, 'now'>) {
  await authorizeAccount(deps.db, actor, accountId, 'invitations.manage');
  const now = deps.clock.now();
  const page = await keysetPage(
    filter.limit,
    (limit) => listInvitations(deps.db, accountId, { ...filter, now, limit }),
    (last) => ({ createdAt: last.created_at, id: last.id }),
  );
  return { ...page, items: page.items.map((i) => describeInvitation(i, now)) };
}

/** Only an open invitation (pending or expired) can be sent again or revoked; accepted and revoked ones are final. */
async function lockOpenInvitation(trx: InTransaction, accountId: string, invitationId: string, now: Date) {
  const invitation = await lockInvitation(trx, accountId, invitationId);
  if (!invitation) throw notFound('Invitation');
  const state = invitationState(invitation, now);
  if (state === 'accepted' || state === 'revoked') {
    throw new AppError('invitation_invalid', `This invitation was already ${state}`, { state });
  }
  return invitation;
}

/**
 * Emails the invitation again with a new link, so only the latest email works; the invitation
 * gets its full lifetime again, which also revives an expired one.
 */
export function resendInvitation(deps: Deps, actor: Actor, accountId: string, invitationId: string) {
  return runTransaction(deps.db, async (trx) => {
    const { account, inviter } = await authorizeInviter(trx, actor, accountId);
    const now = deps.clock.now();
    const invitation = await lockOpenInvitation(trx, accountId, invitationId, now);
    const token = newSecret('ki');
    const renewed = await renewInvitation(trx, invitation.id, {
      tokenHash: hashSecret(token),
      expiresAt: addSeconds(now, invitationLifetimeSeconds(invitation)),
      now,
    });
    await sendInvitationEmail(deps, trx, { invitation: renewed, token, inviter, account, now });
    await recordChange(trx, actor, { accountId, action: 'invitation.resent', targetType: 'invitation', targetId: invitation.id, details: { email: invitation.email } }, now);
    return describeInvitation({ ...invitation, ...renewed }, now);
  });
}

export function revokeInvitation(deps: Deps, actor: Actor, accountId: string, invitationId: string) {
  return runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'invitations.manage');
    const now = deps.clock.now();
    const invitation = await lockOpenInvitation(trx, accountId, invitationId, now);
    const revoked = await markRevoked(trx, invitation.id, now);
    await recordChange(trx, actor, { accountId, action: 'invitation.revoked', targetType: 'invitation', targetId: invitation.id, details: { email: invitation.email } }, now);
    return describeInvitation({ ...invitation, ...revoked }, now);
  });
}
