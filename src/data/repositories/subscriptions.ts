import type { OrderItem, SalesChannel, Subscription, SubscriptionItem, SupportPlan } from '../schema.js';
import type { Executor } from './users.js';

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
export function lockSubscription(db: Executor, id: string): Promise<Subscription | undefined> {
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
