import { listKeysOfSubscription } from '../../data/repositories/license-keys.js';
import {
  listAccountSubscriptions,
  lockSubscription,
  updateSubscription,
  type SubscriptionFilter,
  type SubscriptionSort,
} from '../../data/repositories/subscriptions.js';
import type { Subscription } from '../../data/schema.js';
import { addDays } from '../../domain/clock.js';
import { AppError, notFound } from '../../domain/errors.js';
import { EXPIRING_SOON_DAYS } from '../../domain/subscription.js';
import { inScope, authorizeLicensing } from '../../policies/license-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { keysetPage, type Page } from '../paging.js';
import { loadSubscriptionView, type SubscriptionView } from './subscription-view.js';
import { runTransaction } from '../../data/transactions.js';

export interface SubscriptionListInput {
  filter: SubscriptionFilter;
  sort: SubscriptionSort;
  descending: boolean;
  after?: { value: string; id: string } | undefined;
  limit: number;
}

const sortValue = (s: Subscription, sort: SubscriptionSort) => (sort === 'name' ? s.name : s[sort].toISOString());

/** The account's subscriptions; a License Administrator sees those holding a key granted to them. */
export async function listSubscriptions(deps: Deps, actor: Actor, accountId: string, q: SubscriptionListInput): Promise<Page<Subscription, { value: string; id: string }>> {
  const { scope } = await authorizeLicensing(deps.db, actor, accountId, 'subscriptions.view');
  const now = deps.clock.now();
  const page = await keysetPage(
    q.limit,
    (limit) => listAccountSubscriptions(deps.db, accountId, { ...q, limit, now, expiringSoonUntil: addDays(now, EXPIRING_SOON_DAYS) }),
    (last) => ({ value: sortValue(last, q.sort), id: last.id }),
  );
  if (scope.all) return page;
  // License Administrators hold few keys; filtering a page keeps the listing one query for everyone else.
  const visible = [];
  for (const s of page.items) {
    const keys = await listKeysOfSubscription(deps.db, s.id);
    if (keys.some((k) => inScope(scope, k.id))) visible.push(s);
  }
  return { items: visible, next: page.next };
}

/** A subscription's details; a License Administrator sees only the key rows granted to them. */
export async function getSubscription(deps: Deps, actor: Actor, accountId: string, subscriptionId: string): Promise<SubscriptionView> {
  const { scope } = await authorizeLicensing(deps.db, actor, accountId, 'subscriptions.view');
  const view = await loadSubscriptionView(deps.db, accountId, subscriptionId);
  if (scope.all) return view;
  const keys = view.keys.filter((row) => inScope(scope, row.key.id));
  if (keys.length === 0) throw notFound('Subscription');
  // The account's other subscriptions (its edition trial) are not theirs to see.
  return { ...view, keys, orders: [], editions: { ...view.editions, trial: null, trialOf: null } };
}

export async function updateSubscriptionSettings(
  deps: Deps,
  actor: Actor,
  accountId: string,
  subscriptionId: string,
  changes: { name?: string | undefined; autoRenew?: boolean | undefined },
): Promise<Subscription> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'subscriptions.manage');
    const subscription = await lockSubscription(trx, subscriptionId);
    if (!subscription || subscription.account_id !== accountId) throw notFound('Subscription');
    if (changes.autoRenew !== undefined && changes.autoRenew !== subscription.auto_renew && subscription.channel !== 'online') {
      throw new AppError('validation_failed', 'Only subscriptions bought online renew automatically; ask your reseller to renew this one', { field: 'autoRenew' });
    }
    const now = deps.clock.now();
    const updated = await updateSubscription(
      trx,
      subscriptionId,
      { ...(changes.name !== undefined ? { name: changes.name } : {}), ...(changes.autoRenew !== undefined ? { auto_renew: changes.autoRenew } : {}) },
      now,
    );
    await recordChange(trx, actor, { accountId, action: 'subscription.updated', targetType: 'subscription', targetId: subscriptionId, details: changes }, now);
    return updated;
  });
}
