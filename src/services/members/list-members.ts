import { findMember, listMembers, type MemberListFilter } from '../../data/repositories/memberships.js';
import { notFound } from '../../domain/errors.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { keysetPage } from '../paging.js';

export async function listAccountMembers(deps: Deps, actor: Actor, accountId: string, filter: MemberListFilter) {
  await authorizeAccount(deps.db, actor, accountId, 'members.view');
  return keysetPage(
    filter.limit,
    (limit) => listMembers(deps.db, accountId, { ...filter, limit }),
    (last) => ({ email: last.email, userId: last.user_id }),
  );
}

export async function getAccountMember(deps: Deps, actor: Actor, accountId: string, userId: string) {
  await authorizeAccount(deps.db, actor, accountId, 'members.view');
  const member = await findMember(deps.db, accountId, userId);
  if (!member) throw notFound('Member');
  return member;
}
