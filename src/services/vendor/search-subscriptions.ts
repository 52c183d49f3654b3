import {
  listItemsOfSubscriptions,
  searchSubscriptions,
  type SubscriptionCursor,
  type SubscriptionSearch,
  type SubscriptionSearchRow,
  type VendorStatusFilter,
} from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/executor.js';
import type { SubscriptionItem } from '../../data/schema.js';
import { keyLastGroup } from '../../domain/license-key.js';
import { EXPIRING_SOON_DAYS, type SalesChannel } from '../../domain/subscription.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { keysetPage, type Page } from '../paging.js';

export interface SubscriptionQuery {
  /** A customer email or part of one, part of a subscription name, a key's last group, or a support code. */
  search?: string | undefined;
  status: VendorStatusFilter;
  channel?: SalesChannel | undefined;
  productCode?: string | undefined;
  accountId?: string | undefined;
}

export interface ListedSubscription {
  subscription: SubscriptionSearchRow;
  items: SubscriptionItem[];
}

const EXPORT_CHUNK = 1000;

function toSearch(q: SubscriptionQuery, now: Date): SubscriptionSearch {
  return {
    ...q,
    text: q.search,
    keyGroup: q.search === undefined ? undefined : (keyLastGroup(q.search) ?? undefined),
    now,
    expiringSoonUntil: new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000),
  };
}

async function withItems(db: Executor, rows: SubscriptionSearchRow[]): Promise<ListedSubscription[]> {
  const items = await listItemsOfSubscriptions(db, rows.map((r) => r.id));
  return rows.map((subscription) => ({ subscription, items: items.filter((i) => i.subscription_id === subscription.id) }));
}

/** One page of every customer's subscriptions, newest first, with their products. */
export async function listAllSubscriptions(
  deps: Deps,
  actor: Actor,
  q: SubscriptionQuery & { after?: SubscriptionCursor | undefined; limit: number },
): Promise<Page<ListedSubscription, SubscriptionCursor>> {
  requireOperator(actor);
  const search = toSearch(q, deps.clock.now());
  const page = await keysetPage(
    q.limit,
    (limit) => searchSubscriptions(deps.db, { ...search, after: q.after, limit }),
    (last) => ({ startsAt: last.starts_at, id: last.id }),
  );
  return { items: await withItems(deps.db, page.items), next: page.next };
}

/** Every matching subscription for a download, read chunk by chunk so no export sits in memory whole. */
export function exportAllSubscriptions(deps: Deps, actor: Actor, q: SubscriptionQuery): AsyncIterable<ListedSubscription> {
  requireOperator(actor);
  const search = toSearch(q, deps.clock.now());
  return (async function* () {
    let after: SubscriptionCursor | undefined;
    for (;;) {
      const rows = await searchSubscriptions(deps.db, { ...search, after, limit: EXPORT_CHUNK });
      yield* await withItems(deps.db, rows);
      const last = rows[rows.length - 1];
      if (!last || rows.length < EXPORT_CHUNK) return;
      after = { startsAt: last.starts_at, id: last.id };
    }
  })();
}
