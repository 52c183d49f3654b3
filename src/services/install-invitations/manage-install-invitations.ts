import {
  listInstallInvitations,
  lockAccountInstallInvitation,
  markInstallInvitationResent,
  productCodesOfKeys,
  revokeInstallInvitation as markRevoked,
  type InstallInvitationListFilter,
  type InstallInvitationRow,
} from '../../data/repositories/install-invitations.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import { AppError, notFound } from '../../domain/errors.js';
import { installInvitationStatus } from '../../domain/install-invitation.js';
import { inScope, requireKeyInScope, type KeyScope } from '../../policies/license-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { confirmedInviter } from '../invitations/invite-members.js';
import { keysetPage } from '../paging.js';
import {
  authorizeInstallInvitations,
  describeInstallInvitation,
  keyProducts,
  sendInstallInvitationEmail,
  type InstallInvitationView,
} from './invite-to-install.js';
import { runTransaction } from '../../data/transactions.js';

/** The keys a listing covers: one asked for (when the caller may see it), else all the caller may see. */
function keysToList(scope: KeyScope, keyId: string | undefined): readonly string[] | undefined {
  if (keyId !== undefined) {
    requireKeyInScope(scope, keyId);
    return [keyId];
  }
  return scope.all ? undefined : [...scope.keyIds];
}

/** Rows with their status and links; product codes are read once per key. */
async function described(deps: Deps, db: Executor, rows: InstallInvitationRow[], known: Map<string, string[]>, now: Date): Promise<InstallInvitationView[]> {
  const missing = [...new Set(rows.map((r) => r.license_key_id))].filter((id) => !known.has(id));
  for (const [id, codes] of await productCodesOfKeys(db, missing)) known.set(id, codes);
  return rows.map((r) => describeInstallInvitation(deps, r, known.get(r.license_key_id)!, now));
}

export async function listAccountInstallInvitations(
  deps: Deps,
  actor: Actor,
  accountId: string,
  filter: { keyId?: string | undefined; after?: InstallInvitationListFilter['after']; limit: number },
) {
  const { scope } = await authorizeInstallInvitations(deps.db, actor, accountId);
  const keyIds = keysToList(scope, filter.keyId);
  const page = await keysetPage(
    filter.limit,
    (limit) => listInstallInvitations(deps.db, accountId, { keyIds, after: filter.after, limit }),
    (last) => ({ createdAt: last.created_at, id: last.id }),
  );
  return { ...page, items: await described(deps, deps.db, page.items, new Map(), deps.clock.now()) };
}

const EXPORT_CHUNK = 500;

/** Every invitation the caller may see, newest first, read in chunks as the CSV download streams. */
export async function exportInstallInvitations(deps: Deps, actor: Actor, accountId: string, keyId?: string): Promise<AsyncIterable<InstallInvitationView>> {
  const { scope } = await authorizeInstallInvitations(deps.db, actor, accountId);
  const keyIds = keysToList(scope, keyId);
  const now = deps.clock.now();
  return (async function* () {
    const known = new Map<string, string[]>();
    let after: InstallInvitationListFilter['after'];
    for (;;) {
      const rows = await listInstallInvitations(deps.db, accountId, { keyIds, after, limit: EXPORT_CHUNK });
      yield* await described(deps, deps.db, rows, known, now);
      if (rows.length < EXPORT_CHUNK) return;
      const last = rows[rows.length - 1]!;
      after = { createdAt: last.created_at, id: last.id };
    }
  })();
}

/** An invitation of the account on a key the caller may act on, locked for a change; any other does not exist for them. */
async function lockInvitationInScope(trx: InTransaction, scope: KeyScope, accountId: string, invitationId: string) {
  const invitation = await lockAccountInstallInvitation(trx, accountId, invitationId);
  if (!invitation || !inScope(scope, invitation.license_key_id)) throw notFound('Invitation');
  return invitation;
}

function auditChange(trx: Executor, actor: Actor, invitation: InstallInvitationRow, action: 'revoked' | 'resent', now: Date) {
  return recordChange(
    trx,
    actor,
    {
      accountId: invitation.account_id,
      action: `install_invitation.${action}`,
      targetType: 'install_invitation',
      targetId: invitation.id,
      details: { email: invitation.email, keyId: invitation.license_key_id },
    },
    now,
  );
}

/** Withdraws an invitation: its code stops working at once. A used code has done its work and stays as it is. */
export function revokeInstallInvitation(deps: Deps, actor: Actor, accountId: string, invitationId: string) {
  return runTransaction(deps.db, async (trx) => {
    const { scope } = await authorizeInstallInvitations(trx, actor, accountId);
    const invitation = await lockInvitationInScope(trx, scope, accountId, invitationId);
    const now = deps.clock.now();
    const status = installInvitationStatus(invitation, now);
    if (status === 'used' || status === 'revoked') throw new AppError('invitation_invalid', `This invitation was already ${status}`, { status });
    const revoked = await markRevoked(trx, invitation.id, now);
    await auditChange(trx, actor, invitation, 'revoked', now);
    const [view] = await described(deps, trx, [{ ...invitation, ...revoked }], new Map(), now);
    return view!;
  });
}

/**
 * Emails a pending invitation again, the same email to the same person: the same code, link and
 * expiry, in the invitation's language, in the name of whoever sends it now. A used, revoked or
 * expired invitation has no code left to send; a new invitation gives a new code.
 */
export function resendInstallInvitation(deps: Deps, actor: Actor, accountId: string, invitationId: string) {
  return runTransaction(deps.db, async (trx) => {
    const { account, scope } = await authorizeInstallInvitations(trx, actor, accountId);
    const invitation = await lockInvitationInScope(trx, scope, accountId, invitationId);
    const now = deps.clock.now();
    const status = installInvitationStatus(invitation, now);
    if (status !== 'pending') throw new AppError('invitation_not_pending', `Only a pending invitation can be sent again; this one is ${status}`, { status });
    const inviter = await confirmedInviter(trx, actor);
    const products = await keyProducts(trx, invitation.license_key_id);
    const resent = await markInstallInvitationResent(trx, invitation.id, now);
    await sendInstallInvitationEmail(deps, trx, { invitation: resent, products, inviter, account, now });
    await auditChange(trx, actor, invitation, 'resent', now);
    return describeInstallInvitation(deps, { ...invitation, ...resent }, products.map((p) => p.code), now);
  });
}
