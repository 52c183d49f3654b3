import {
  insertInstallInvitation,
  pendingInstallInvitationEmails,
  productCodesOfKeys,
  type InstallInvitationRow,
} from '../../data/repositories/install-invitations.js';
import { lockKeysForSeats } from '../../data/repositories/license-keys.js';
import { listProducts } from '../../data/repositories/products.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import type { Account, InstallInvitation, User } from '../../data/schema.js';
import { addDays } from '../../domain/clock.js';
import { notFound } from '../../domain/errors.js';
import { downloadLink, installInvitationStatus, type InstallInvitationStatus } from '../../domain/install-invitation.js';
import { planInvitations, type SkipReason } from '../../domain/invitation.js';
import { installInvitation, type InvitationLanguage } from '../../mail/templates.js';
import { enqueueEmail } from '../../data/repositories/outbox.js';
import { authorizeLicensing, requireKeyInScope, type LicensingAccess } from '../../policies/license-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { confirmedInviter, readInvitationSource, type InvitationSource } from '../invitations/invite-members.js';
import { generateActivationCode } from '../licensing/key-material.js';
import { fullName } from '../users/sign-up.js';
import { runTransaction } from '../../data/transactions.js';

export interface InstallInvitationOptions {
  keyId: string;
  language: InvitationLanguage;
  expiresInDays: number;
}

/** Why an address got no invitation to install: nobody is a member of a key, so only these two. */
export type InstallSkipReason = Extract<SkipReason, 'already_invited' | 'duplicate'>;

export interface KeyProduct {
  code: string;
  name: string;
}

export type InstallInvitationView = InstallInvitationRow & { status: InstallInvitationStatus; downloadLinks: string[] };

/** An invitation as administrators see it: its status now and the download link of each product of its key. */
export function describeInstallInvitation(deps: Deps, row: InstallInvitationRow, productCodes: readonly string[], now: Date): InstallInvitationView {
  return {
    ...row,
    status: installInvitationStatus(row, now),
    downloadLinks: productCodes.map((code) => downloadLink(deps.config.publicUrl, code, row.code_text)),
  };
}

/** The gate for invitations to install: account administrators, or License Administrators for their keys. */
export function authorizeInstallInvitations(db: Executor, actor: Actor, accountId: string): Promise<LicensingAccess> {
  return authorizeLicensing(db, actor, accountId, 'install_invitations.manage');
}

/**
 * A key of the account that the caller may hand out; any other key does not exist for them. Its
 * row is locked first (lockKeysForSeats), so a deletion of the key waits for the invitations, which
 * then go with it, or comes first and the key is not found.
 */
async function keyToInvite(trx: InTransaction, access: LicensingAccess, keyId: string) {
  const [key] = await lockKeysForSeats(trx, [keyId]);
  if (!key || key.account_id !== access.account.id) throw notFound('License key');
  requireKeyInScope(access.scope, key.id);
  return key;
}

/** The products a key activates, with the names its emails give them. */
export async function keyProducts(db: Executor, keyId: string): Promise<KeyProduct[]> {
  const codes = (await productCodesOfKeys(db, [keyId])).get(keyId)!;
  const names = new Map((await listProducts(db)).map((p) => [p.code, p.name]));
  return codes.map((code) => ({ code, name: names.get(code) ?? code }));
}

/**
 * Emails the person their code and a download link per product, in the invitation's language,
 * through the outbox in the caller's transaction. The first email and every later one alike.
 */
export function sendInstallInvitationEmail(
  deps: Deps,
  trx: InTransaction,
  s: { invitation: InstallInvitation; products: readonly KeyProduct[]; inviter: User; account: Account; now: Date },
) {
  const mail = installInvitation({
    language: s.invitation.language,
    inviter: fullName(s.inviter),
    account: s.account.name,
    downloads: s.products.map((p) => ({ product: p.name, link: downloadLink(deps.config.publicUrl, p.code, s.invitation.code_text) })),
    code: s.invitation.code_text,
    expiresAt: s.invitation.expires_at,
  });
  return enqueueEmail(trx, { ...mail, to: s.invitation.email, accountId: s.account.id }, s.now);
}

/**
 * Sends each address its own activation code for the chosen key, with the download link, by
 * email written in the same transaction. Rows that hold no address are reported by line, and
 * repeated addresses and those whose invitation for the key is still pending are skipped (a
 * second code would only leave the person two emails to choose from; Send again mails the first
 * one anew); the rest are invited. The key's row lock makes two sendings to one key take turns,
 * so both cannot miss each other's invitation. Invitations may outnumber the free seats: the
 * first to activate get them.
 */
export function inviteToInstall(deps: Deps, actor: Actor, accountId: string, source: InvitationSource, options: InstallInvitationOptions) {
  return runTransaction(deps.db, async (trx) => {
    const access = await authorizeInstallInvitations(trx, actor, accountId);
    const key = await keyToInvite(trx, access, options.keyId);
    const inviter = await confirmedInviter(trx, actor);
    const { emails, rejectedRows } = readInvitationSource(source);
    const now = deps.clock.now();
    const products = await keyProducts(trx, key.id);
    const invited: InstallInvitationView[] = [];
    const skipped: { email: string; reason: InstallSkipReason }[] = [];
    const pending = await pendingInstallInvitationEmails(trx, key.id, emails.map((e) => e.toLowerCase()), now);
    for (const { email, skip } of planInvitations(emails, new Map([...pending].map((e) => [e, 'already_invited' as const])))) {
      if (skip) {
        skipped.push({ email, reason: skip });
        continue;
      }
      const { code, hash } = generateActivationCode();
      const invitation = await insertInstallInvitation(trx, {
        accountId,
        keyId: key.id,
        email,
        language: options.language,
        codeHash: hash,
        codeText: code,
        expiresAt: addDays(now, options.expiresInDays),
        createdBy: inviter.id,
        now,
      });
      await sendInstallInvitationEmail(deps, trx, { invitation, products, inviter, account: access.account, now });
      await recordChange(
        trx,
        actor,
        { accountId, action: 'install_invitation.created', targetType: 'install_invitation', targetId: invitation.id, details: { email, keyId: key.id } },
        now,
      );
      invited.push(describeInstallInvitation(deps, { ...invitation, key_name: key.name, created_by_email: inviter.email }, products.map((p) => p.code), now));
    }
    return { invited, skipped, rejectedRows };
  });
}
