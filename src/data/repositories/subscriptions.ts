import { sql } from 'kysely';
import type { Subscription, SubscriptionItem } from '../schema.js';
import { containing } from './search.js';
import type { Executor, InTransaction } from '../executor.js';
import type { OrderItem } from '../../domain/order.js';
import type { SalesChannel, SupportPlan } from '../../domain/subscription.js';

export interface NewSubscription {
  customerEmail: string;
  name: string;
  channel: SalesChannel;
  supportPlan: SupportPlan;
  autoRenew: boolean;
  startsAt: Date;
  expiresAt: Date;
  accountId: string | null;
}

export function insertSubscription(db: Executor, s: NewSubscription): Promise<Subscription> {
  return db
    .insertInto('subscriptions')
    .values({
      customer_email: s.customerEmail,
      name: s.name,
      channel: s.channel,
      support_plan: s.supportPlan,
      auto_renew: s.autoRenew,
      starts_at: s.startsAt,
      expires_at: s.expiresAt,
      account_id: s.accountId,
      registered_at: s.accountId ? s.startsAt : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertSubscriptionItems(db: Executor, subscriptionId: string, accountId: string | null, items: OrderItem[]) {
  return db
    .insertInto('subscription_items')
    .values(
      items.map((i) => ({
        subscription_id: subscriptionId,
        account_id: accountId,
        product_code: i.productCode,
        license_type: i.licenseType,
        quantity: i.quantity,
      })),
    )
    .returningAll()
    .execute();
}

export function findSubscription(db: Executor, id: string): Promise<Subscription | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The subscription row locked for a change to its dates, status or quantities. */
export function lockSubscription(db: InTransaction, id: string): Promise<Subscription | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listItems(db: Executor, subscriptionId: string): Promise<SubscriptionItem[]> {
  return db.selectFrom('subscription_items').selectAll().where('subscription_id', '=', subscriptionId).orderBy('product_code').orderBy('license_type').execute();
}

export function findItem(db: Executor, itemId: string): Promise<SubscriptionItem | undefined> {
  return db.selectFrom('subscription_items').selectAll().where('id', '=', itemId).executeTakeFirst();
}

export function updateSubscription(
  db: Executor,
  id: string,
  changes: Partial<{ name: string; status: 'active' | 'suspended'; auto_renew: boolean; expires_at: Date; support_plan: SupportPlan; account_id: string; registered_at: Date }>,
  now: Date,
): Promise<Subscription> {
  return db.updateTable('subscriptions').set({ ...changes, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Adds seats to an item, creating the item when the subscription did not hold that product yet. */
export async function addItemQuantity(db: Executor, subscriptionId: string, accountId: string | null, item: OrderItem): Promise<void> {
  await db
    .insertInto('subscription_items')
    .values({
      subscription_id: subscriptionId,
      account_id: accountId,
      product_code: item.productCode,
      license_type: item.licenseType,
      quantity: item.quantity,
    })
    .onConflict((oc) =>
      oc.columns(['subscription_id', 'product_code', 'license_type']).doUpdateSet((eb) => ({
        quantity: eb('subscription_items.quantity', '+', eb.ref('excluded.quantity')),
      })),
    )
    .execute();
}

export function assignItemsToAccount(db: Executor, subscriptionId: string, accountId: string) {
  return db.updateTable('subscription_items').set({ account_id: accountId }).where('subscription_id', '=', subscriptionId).execute();
}

export type SubscriptionFilter = 'all' | 'active' | 'expiring_soon' | 'expired';
export type SubscriptionSort = 'name' | 'expires_at' | 'starts_at';

export interface SubscriptionListQuery {
  filter: SubscriptionFilter;
  sort: SubscriptionSort;
  descending: boolean;
  now: Date;
  expiringSoonUntil: Date;
  after?: { value: string; id: string } | undefined;
  limit: number;
}

/** An account's subscriptions, filtered by status and ordered by the chosen column, keyset-paged. */
export function listAccountSubscriptions(db: Executor, accountId: string, q: SubscriptionListQuery): Promise<Subscription[]> {
  let query = db.selectFrom('subscriptions').selectAll().where('account_id', '=', accountId);
  if (q.filter === 'active') query = query.where('status', '=', 'active').where('expires_at', '>', q.now);
  if (q.filter === 'expiring_soon') query = query.where('status', '=', 'active').where('expires_at', '>', q.now).where('expires_at', '<=', q.expiringSoonUntil);
  if (q.filter === 'expired') query = query.where('expires_at', '<=', q.now);
  const dir = q.descending ? 'desc' : 'asc';
  if (q.after) {
    const after = q.after;
    const cmp = q.descending ? '<' : '>';
    // Timestamps travel in the cursor as ISO text; cast back so they compare as time, not text.
    const value = q.sort === 'name' ? after.value : new Date(after.value);
    query = query.where((eb) =>
      eb.or([eb(q.sort, cmp, value), eb.and([eb(q.sort, '=', value), eb('id', cmp, after.id)])]),
    );
  }
  return query.orderBy(q.sort, dir).orderBy('id', dir).limit(q.limit).execute();
}

export function lockItem(db: InTransaction, itemId: string): Promise<SubscriptionItem | undefined> {
  return db.selectFrom('subscription_items').selectAll().where('id', '=', itemId).forUpdate().executeTakeFirst();
}

/** Moves seats between the main pool and reserved keys; the table's CHECK refuses overcommitting. */
export function adjustReserved(db: InTransaction, itemId: string, delta: number) {
  return db
    .updateTable('subscription_items')
    .set((eb) => ({ reserved: eb('reserved', '+', delta) }))
    .where('id', '=', itemId)
    .execute();
}

export type VendorStatusFilter = 'all' | 'active' | 'expiring_soon' | 'expired' | 'suspended';

export interface SubscriptionSearch {
  /** Part of the customer email or subscription name, or an account's support code. */
  text?: string | undefined;
  /** The last group of one of the subscription's keys, normalised. */
  keyGroup?: string | undefined;
  status: VendorStatusFilter;
  channel?: SalesChannel | undefined;
  productCode?: string | undefined;
  accountId?: string | undefined;
  now: Date;
  expiringSoonUntil: Date;
}

export type SubscriptionCursor = { startsAt: Date; id: string };

function searched(db: Executor, f: SubscriptionSearch) {
  let q = db
    .selectFrom('subscriptions')
    .leftJoin('accounts', 'accounts.id', 'subscriptions.account_id')
    .selectAll('subscriptions')
    .select(['accounts.name as account_name', 'accounts.support_code as account_support_code']);
  if (f.text !== undefined || f.keyGroup !== undefined) {
    const { text, keyGroup } = f;
    q = q.where((eb) =>
      eb.or([
        ...(text === undefined
          ? []
          : [eb('subscriptions.customer_email', 'ilike', containing(text)), eb('subscriptions.name', 'ilike', containing(text)), eb('accounts.support_code', '=', text)]),
        ...(keyGroup === undefined
          ? []
          : [
              eb.exists(
                eb
                  .selectFrom('license_keys')
                  .select('license_keys.id')
                  .whereRef('license_keys.subscription_id', '=', 'subscriptions.id')
                  // The same expression as the license_keys_last_group index.
                  .where(sql<string>`right(license_keys.key_text, 5)`, '=', keyGroup),
              ),
            ]),
      ]),
    );
  }
  // Running subscriptions count as active, those within the warning window also as expiring soon;
  // a suspended one shows as suspended whatever its dates, as displayStatus has it.
  if (f.status === 'active') q = q.where('subscriptions.status', '=', 'active').where('subscriptions.expires_at', '>', f.now);
  if (f.status === 'expiring_soon') {
    q = q.where('subscriptions.status', '=', 'active').where('subscriptions.expires_at', '>', f.now).where('subscriptions.expires_at', '<=', f.expiringSoonUntil);
  }
  if (f.status === 'expired') q = q.where('subscriptions.status', '=', 'active').where('subscriptions.expires_at', '<=', f.now);
  if (f.status === 'suspended') q = q.where('subscriptions.status', '=', 'suspended');
  if (f.channel) q = q.where('subscriptions.channel', '=', f.channel);
  if (f.accountId) q = q.where('subscriptions.account_id', '=', f.accountId);
  if (f.productCode) {
    const code = f.productCode;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('subscription_items').select('subscription_items.id').whereRef('subscription_items.subscription_id', '=', 'subscriptions.id').where('subscription_items.product_code', '=', code)),
    );
  }
  return q;
}

/** Subscriptions of every account, newest first, keyset-paged, for the vendor back office. */
export function searchSubscriptions(db: Executor, f: SubscriptionSearch & { after?: SubscriptionCursor | undefined; limit: number }) {
  let q = searched(db, f);
  if (f.after) {
    const { startsAt, id } = f.after;
    q = q.where((eb) => eb.or([eb('subscriptions.starts_at', '<', startsAt), eb.and([eb('subscriptions.starts_at', '=', startsAt), eb('subscriptions.id', '<', id)])]));
  }
  return q.orderBy('subscriptions.starts_at', 'desc').orderBy('subscriptions.id', 'desc').limit(f.limit).execute();
}

export type SubscriptionSearchRow = Awaited<ReturnType<typeof searchSubscriptions>>[number];

/** The items of several subscriptions at once, for a page of a listing. */
export function listItemsOfSubscriptions(db: Executor, subscriptionIds: readonly string[]): Promise<SubscriptionItem[]> {
  if (subscriptionIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('subscription_items').selectAll().where('subscription_id', 'in', subscriptionIds).orderBy('product_code').orderBy('license_type').execute();
}

/** The license types subscriptions hold a product with (null for a product sold without types). */
export async function licenseTypesInUse(db: Executor, productCode: string): Promise<(string | null)[]> {
  const rows = await db.selectFrom('subscription_items').select('license_type').distinct().where('product_code', '=', productCode).execute();
  return rows.map((r) => r.license_type);
}
