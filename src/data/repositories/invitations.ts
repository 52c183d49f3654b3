import { sql, type ExpressionBuilder } from 'kysely';
import type { InvitationState } from '../../domain/invitation.js';
import type { InvitationLanguage } from '../../mail/templates.js';
import type { DB, Invitation } from '../schema.js';
import type { Executor, InTransaction } from '../executor.js';
import type { MemberRole } from '../../domain/membership.js';

/**
 * Inserts an open invitation, or nothing when the address already has one in the account (the
 * unique index decides, so two concurrent invitations cannot both land).
 */
export function insertInvitation(
  db: Executor,
  i: {
    accountId: string;
    email: string;
    role: MemberRole;
    language: InvitationLanguage;
    tokenHash: string;
    invitedBy: string;
    expiresAt: Date;
    now: Date;
  },
): Promise<Invitation | undefined> {
  return db
    .insertInto('invitations')
    .values({
      account_id: i.accountId,
      email: i.email,
      role: i.role,
      language: i.language,
      token_hash: i.tokenHash,
      invited_by: i.invitedBy,
      expires_at: i.expiresAt,
      // Set from the clock, not the database, so keyset cursors built from it compare exactly.
      created_at: i.now,
      last_sent_at: i.now,
    })
    .onConflict((oc) => oc.expression(sql`account_id, lower(email)`).where('accepted_at', 'is', null).where('revoked_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Closes the expired open invitations of these addresses (lower case), so new ones can take their place. */
export async function closeExpiredInvitations(db: Executor, accountId: string, lowerEmails: readonly string[], now: Date): Promise<void> {
  if (lowerEmails.length === 0) return;
  await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where(sql<string>`lower(email)`, 'in', lowerEmails)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '<=', now)
    .execute();
}

/** An invitation with the email of whoever sent it, as the administrators' list shows it. */
function invitationsWithInviter(db: Executor) {
  return db
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .selectAll('invitations')
    .select('users.email as invited_by_email');
}

export type InvitationWithInviter = Invitation & { invited_by_email: string | null };

/** The invitation behind a link; an acceptance locks it so the link is used only once. */
export function findInvitationByTokenHash(db: InTransaction, tokenHash: string, o: { lock: true }): Promise<Invitation | undefined>;
export function findInvitationByTokenHash(db: Executor, tokenHash: string, o: { lock: false }): Promise<Invitation | undefined>;
export function findInvitationByTokenHash(db: Executor, tokenHash: string, o: { lock: boolean }): Promise<Invitation | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .$if(o.lock, (q) => q.forUpdate())
    .executeTakeFirst();
}

export function lockInvitation(db: InTransaction, accountId: string, invitationId: string): Promise<InvitationWithInviter | undefined> {
  return invitationsWithInviter(db)
    .where('invitations.account_id', '=', accountId)
    .where('invitations.id', '=', invitationId)
    .forUpdate('invitations')
    .executeTakeFirst();
}

/**
 * The columns that count an invitation's emails, for one more sending now. Member invitations and
 * invitations to install both keep them, and both update them this way.
 */
export const anotherSending = (now: Date) => ({ last_sent_at: now, sent_count: sql<number>`sent_count + 1` });

/** A new link for an invitation: the old token stops working and the lifetime starts again. */
export function renewInvitation(db: Executor, invitationId: string, r: { tokenHash: string; expiresAt: Date; now: Date }): Promise<Invitation> {
  return db
    .updateTable('invitations')
    .set({ token_hash: r.tokenHash, expires_at: r.expiresAt, ...anotherSending(r.now) })
    .where('id', '=', invitationId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function revokeInvitation(db: Executor, invitationId: string, now: Date): Promise<Invitation> {
  return db.updateTable('invitations').set({ revoked_at: now }).where('id', '=', invitationId).returningAll().executeTakeFirstOrThrow();
}

export function markInvitationAccepted(db: Executor, invitationId: string, userId: string, now: Date) {
  return db.updateTable('invitations').set({ accepted_at: now, accepted_by: userId }).where('id', '=', invitationId).execute();
}

// The SQL twin of invitationState in the domain: the list filters in the database.
function inState(state: InvitationState, now: Date) {
  return (eb: ExpressionBuilder<DB, 'invitations'>) => {
    const open = eb.and([eb('invitations.accepted_at', 'is', null), eb('invitations.revoked_at', 'is', null)]);
    switch (state) {
      case 'accepted':
        return eb('invitations.accepted_at', 'is not', null);
      case 'revoked':
        return eb.and([eb('invitations.accepted_at', 'is', null), eb('invitations.revoked_at', 'is not', null)]);
      case 'pending':
        return eb.and([open, eb('invitations.expires_at', '>', now)]);
      case 'expired':
        return eb.and([open, eb('invitations.expires_at', '<=', now)]);
    }
  };
}

export interface InvitationListFilter {
  state: InvitationState | 'all';
  now: Date;
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Newest first, paged by a keyset cursor on (created_at, id) as the account's index orders them. */
export function listInvitations(db: Executor, accountId: string, f: InvitationListFilter): Promise<InvitationWithInviter[]> {
  let q = invitationsWithInviter(db).where('invitations.account_id', '=', accountId);
  if (f.state !== 'all') q = q.where(inState(f.state, f.now));
  if (f.after) {
    const after = f.after;
    q = q.where((eb) =>
      eb.or([
        eb('invitations.created_at', '<', after.createdAt),
        eb.and([eb('invitations.created_at', '=', after.createdAt), eb('invitations.id', '>', after.id)]),
      ]),
    );
  }
  return q.orderBy('invitations.created_at', 'desc').orderBy('invitations.id').limit(f.limit).execute();
}
