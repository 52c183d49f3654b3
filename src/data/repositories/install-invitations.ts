import { sql } from 'kysely';
import type { InvitationLanguage } from '../../mail/templates.js';
import type { InstallInvitation } from '../schema.js';
import { anotherSending } from './invitations.js';
import type { Executor, InTransaction } from '../executor.js';

export interface NewInstallInvitation {
  accountId: string;
  keyId: string;
  email: string;
  language: InvitationLanguage;
  codeHash: string;
  codeText: string;
  expiresAt: Date;
  createdBy: string;
  now: Date;
}

export function insertInstallInvitation(db: Executor, i: NewInstallInvitation): Promise<InstallInvitation> {
  return db
    .insertInto('install_invitations')
    .values({
      account_id: i.accountId,
      license_key_id: i.keyId,
      email: i.email,
      language: i.language,
      code_hash: i.codeHash,
      code_text: i.codeText,
      expires_at: i.expiresAt,
      created_by: i.createdBy,
      // From the clock, so keyset cursors built from it compare exactly.
      created_at: i.now,
      last_sent_at: i.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The addresses (lower case) among these that have a pending invitation to install the key:
 * neither used nor revoked, and not expired at `now`.
 */
export async function pendingInstallInvitationEmails(db: Executor, keyId: string, lowerEmails: readonly string[], now: Date): Promise<Set<string>> {
  if (lowerEmails.length === 0) return new Set();
  const rows = await db
    .selectFrom('install_invitations')
    .select(sql<string>`lower(email)`.as('email'))
    .where('license_key_id', '=', keyId)
    .where(sql<string>`lower(email)`, 'in', [...lowerEmails])
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  return new Set(rows.map((r) => r.email));
}

/** The invitation behind a code, in whichever account: the code itself is the credential. */
export function findInstallInvitationByCodeHash(db: Executor, codeHash: string): Promise<InstallInvitation | undefined> {
  return db.selectFrom('install_invitations').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

export type InvitationWithUse = InstallInvitation & { used_by_fingerprint: string | null; used_by_active: boolean | null };

/**
 * The invitation locked for an activation, with the installation its code activated: two machines
 * with one code take turns here, so only one of them gets it.
 */
export async function lockInvitationForActivation(db: InTransaction, invitationId: string): Promise<InvitationWithUse> {
  const row = await db
    .selectFrom('install_invitations as ii')
    .leftJoin('installations as inst', 'inst.id', 'ii.installation_id')
    .selectAll('ii')
    .select(['inst.fingerprint as used_by_fingerprint', (eb) => eb('inst.state', '=', 'active').as('used_by_active')])
    .where('ii.id', '=', invitationId)
    .forUpdate('ii')
    .executeTakeFirstOrThrow();
  return row as InvitationWithUse;
}

export async function markCodeUsed(db: Executor, invitationId: string, installationId: string, now: Date): Promise<void> {
  await db.updateTable('install_invitations').set({ used_at: now, installation_id: installationId }).where('id', '=', invitationId).execute();
}

export type InstallInvitationRow = InstallInvitation & { key_name: string; created_by_email: string | null };

function invitationRows(db: Executor) {
  return db
    .selectFrom('install_invitations as ii')
    .innerJoin('license_keys as k', 'k.id', 'ii.license_key_id')
    .leftJoin('users as u', 'u.id', 'ii.created_by')
    .selectAll('ii')
    .select(['k.name as key_name', 'u.email as created_by_email']);
}

export function lockAccountInstallInvitation(db: InTransaction, accountId: string, invitationId: string): Promise<InstallInvitationRow | undefined> {
  return invitationRows(db).where('ii.account_id', '=', accountId).where('ii.id', '=', invitationId).forUpdate('ii').executeTakeFirst();
}

export function revokeInstallInvitation(db: Executor, invitationId: string, now: Date): Promise<InstallInvitation> {
  return db.updateTable('install_invitations').set({ revoked_at: now }).where('id', '=', invitationId).returningAll().executeTakeFirstOrThrow();
}

/** The same email once more: the code and its expiry stay, the sending is counted. */
export function markInstallInvitationResent(db: Executor, invitationId: string, now: Date): Promise<InstallInvitation> {
  return db.updateTable('install_invitations').set(anotherSending(now)).where('id', '=', invitationId).returningAll().executeTakeFirstOrThrow();
}

export interface InstallInvitationListFilter {
  /** Only these keys (a License Administrator's); undefined for all keys of the account. */
  keyIds?: readonly string[] | undefined;
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Newest first, paged by a keyset cursor on (created_at, id) as the account's index orders them. */
export function listInstallInvitations(db: Executor, accountId: string, f: InstallInvitationListFilter): Promise<InstallInvitationRow[]> {
  let q = invitationRows(db).where('ii.account_id', '=', accountId);
  if (f.keyIds) {
    if (f.keyIds.length === 0) return Promise.resolve([]);
    q = q.where('ii.license_key_id', 'in', f.keyIds);
  }
  if (f.after) {
    const after = f.after;
    q = q.where((eb) =>
      eb.or([eb('ii.created_at', '<', after.createdAt), eb.and([eb('ii.created_at', '=', after.createdAt), eb('ii.id', '>', after.id)])]),
    );
  }
  return q.orderBy('ii.created_at', 'desc').orderBy('ii.id').limit(f.limit).execute();
}

/** The products each key activates: its item's product for a sublicense, every product of the subscription for the primary key. */
export async function productCodesOfKeys(db: Executor, keyIds: readonly string[]): Promise<Map<string, string[]>> {
  const codes = new Map<string, string[]>(keyIds.map((id) => [id, []]));
  if (keyIds.length === 0) return codes;
  const rows = await db
    .selectFrom('license_keys as k')
    .innerJoin('subscription_items as i', 'i.subscription_id', 'k.subscription_id')
    .select(['k.id as key_id', 'i.product_code'])
    .where('k.id', 'in', keyIds)
    .where((eb) => eb.or([eb('k.item_id', 'is', null), eb('k.item_id', '=', eb.ref('i.id'))]))
    .distinct()
    .orderBy('k.id')
    .orderBy('i.product_code')
    .execute();
  for (const r of rows) codes.get(r.key_id)!.push(r.product_code);
  return codes;
}
