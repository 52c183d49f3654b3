import { insertOrder, type NewOrder, type OrderRow } from '../../data/repositories/orders.js';
import { listProducts } from '../../data/repositories/products.js';
import { lockSubscription } from '../../data/repositories/subscriptions.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import type { Subscription } from '../../data/schema.js';
import type { Product } from '../../domain/catalog.js';
import { AppError, notFound } from '../../domain/errors.js';
import type { OrderProblem } from '../../domain/order.js';
import type { Actor } from '../../domain/actor.js';

export async function loadCatalog(db: Executor): Promise<ReadonlyMap<string, Product>> {
  return new Map((await listProducts(db)).map((p) => [p.code, p]));
}

/** A sales rule the input breaks, as the 400 that names the field. */
export function orderRefused(problem: OrderProblem): AppError {
  return new AppError('validation_failed', `Invalid order: ${problem.field}: ${problem.message}`, { field: problem.field });
}

/** The subscription locked for a change to its dates, status or quantities. */
export async function lockForChange(trx: InTransaction, subscriptionId: string): Promise<Subscription> {
  const subscription = await lockSubscription(trx, subscriptionId);
  if (!subscription) throw notFound('Subscription');
  return subscription;
}

/** Records an order as placed by the caller (an operator, or a customer buying online), with their email as order listings show it. */
export async function recordOrder(trx: Executor, actor: Actor, order: Omit<NewOrder, 'placedBy'>): Promise<OrderRow> {
  return { ...(await insertOrder(trx, { ...order, placedBy: actor.userId })), placed_by_email: actor.email };
}
