import { findAccount } from '../../data/repositories/accounts.js';
import { listMembers, type Member } from '../../data/repositories/memberships.js';
import type { Account } from '../../data/schema.js';
import { notFound } from '../../domain/errors.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { keysetPage } from '../paging.js';
import { listAllSubscriptions, type ListedSubscription } from './search-subscriptions.js';

/** How many members and subscriptions the details show; the rest are a search away. */
export const ACCOUNT_DETAILS_LIMIT = 200;

export interface AccountDetails {
  account: Account;
  members: Member[];
  moreMembers: boolean;
  subscriptions: ListedSubscription[];
  moreSubscriptions: boolean;
}

/** A customer account with its members (by email) and its newest subscriptions. */
export async function getAccountDetails(deps: Deps, actor: Actor, accountId: string): Promise<AccountDetails> {
  requireOperator(actor);
  const account = await findAccount(deps.db, accountId);
  if (!account) throw notFound('Account');
  const members = await keysetPage(ACCOUNT_DETAILS_LIMIT, (limit) => listMembers(deps.db, accountId, { limit }), (last) => last.user_id);
  const subscriptions = await listAllSubscriptions(deps, actor, { status: 'all', accountId, limit: ACCOUNT_DETAILS_LIMIT });
  return {
    account,
    members: members.items,
    moreMembers: members.next !== null,
    subscriptions: subscriptions.items,
    moreSubscriptions: subscriptions.next !== null,
  };
}
