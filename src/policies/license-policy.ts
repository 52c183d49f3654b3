import { findAccount } from '../data/repositories/accounts.js';
import { listKeyGrantsOfMember } from '../data/repositories/key-admins.js';
import { findMembership } from '../data/repositories/memberships.js';
import type { Executor } from '../data/executor.js';
import { decideKeyAccess, type AccountPermission } from '../domain/membership.js';
import { AppError, notFound } from '../domain/errors.js';
import type { Actor } from '../domain/actor.js';
import type { AccountAccess } from './account-policy.js';

/** Which keys of the account the caller may act on: all of them, or those granted to a License Administrator. */
export type KeyScope = { all: true } | { all: false; keyIds: ReadonlySet<string> };

export interface LicensingAccess extends AccountAccess {
  scope: KeyScope;
}

export function inScope(scope: KeyScope, keyId: string): boolean {
  return scope.all || scope.keyIds.has(keyId);
}

/**
 * The gate for subscriptions, keys and installations: account administrators see everything,
 * License Administrators only their granted keys (checked again with inScope per key), others
 * nothing. Like authorizeAccount it reads the membership per request and hides foreign accounts.
 */
export async function authorizeLicensing(db: Executor, actor: Actor, accountId: string, permission: AccountPermission): Promise<LicensingAccess> {
  const membership = await findMembership(db, accountId, actor.userId);
  if (!membership) throw notFound('Account');
  const grants = membership.role === 'admin' ? [] : await listKeyGrantsOfMember(db, accountId, actor.userId);
  const decision = decideKeyAccess(membership, grants.length, permission);
  if (decision === 'blocked') throw new AppError('membership_blocked', 'Your access to this account is blocked by its administrators');
  if (decision === 'denied') throw new AppError('forbidden', 'Your role in this account does not allow this', { permission });
  const account = await findAccount(db, accountId);
  if (!account) throw notFound('Account');
  return { account, membership, scope: decision === 'allow_all' ? { all: true } : { all: false, keyIds: new Set(grants) } };
}

/** Refuses a key outside the caller's scope as if it did not exist. */
export function requireKeyInScope(scope: KeyScope, keyId: string): void {
  if (!inScope(scope, keyId)) throw notFound('License key');
}
