import type { Order } from '../schema.js';
import type { Executor } from '../executor.js';
import type { Duration, SalesChannel } from '../../domain/subscription.js';
import type { OrderItem, OrderKind } from '../../domain/order.js';

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

/** An order with the email of whoever placed it. */
export type OrderRow = Order & { placed_by_email: string | null };

/** Orders newest first (by number), optionally of one subscription. */
export function listOrders(db: Executor, f: { subscriptionId?: string | undefined; beforeNumber?: number | undefined; limit: number }): Promise<OrderRow[]> {
  let q = db.selectFrom('orders').leftJoin('users', 'users.id', 'orders.placed_by').selectAll('orders').select('users.email as placed_by_email');
  if (f.subscriptionId) q = q.where('orders.subscription_id', '=', f.subscriptionId);
  if (f.beforeNumber !== undefined) q = q.where('orders.number', '<', f.beforeNumber);
  return q.orderBy('orders.number', 'desc').limit(f.limit).execute();
}
