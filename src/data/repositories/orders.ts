import type { Duration, Order, OrderItem, OrderKind, SalesChannel } from '../schema.js';
import type { Executor } from './users.js';

export interface NewOrder {
  subscriptionId: string;
  accountId: string | null;
  kind: OrderKind;
  channel: SalesChannel;
  duration: Duration | null;
  items: OrderItem[];
  previousExpiresAt: Date | null;
  newExpiresAt: Date;
  placedBy: string | null;
  at: Date;
}

export function insertOrder(db: Executor, o: NewOrder): Promise<Order> {
  return db
    .insertInto('orders')
    .values({
      subscription_id: o.subscriptionId,
      account_id: o.accountId,
      kind: o.kind,
      channel: o.channel,
      duration: o.duration,
      items: JSON.stringify(o.items),
      previous_expires_at: o.previousExpiresAt,
      new_expires_at: o.newExpiresAt,
      placed_by: o.placedBy,
      created_at: o.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listOrdersOfSubscription(db: Executor, subscriptionId: string): Promise<Order[]> {
  return db.selectFrom('orders').selectAll().where('subscription_id', '=', subscriptionId).orderBy('created_at').orderBy('number').execute();
}

export function assignOrdersToAccount(db: Executor, subscriptionId: string, accountId: string) {
  return db.updateTable('orders').set({ account_id: accountId }).where('subscription_id', '=', subscriptionId).execute();
}
