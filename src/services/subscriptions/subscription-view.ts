import { listKeysOfSubscription } from '../../data/repositories/license-keys.js';
import { listOrdersOfSubscription } from '../../data/repositories/orders.js';
import { listProducts } from '../../data/repositories/products.js';
import { findSubscription, listItems } from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/executor.js';
import type { LicenseKey, Order, Subscription, SubscriptionItem } from '../../data/schema.js';
import { notFound } from '../../domain/errors.js';
import { keyRow, poolOfItem, summarizePool } from '../../domain/seat-pool.js';

export interface KeyRowView {
  key: LicenseKey;
  itemId: string;
  quota: number;
  used: number;
  available: number;
}

export interface ItemView {
  item: SubscriptionItem;
  productName: string;
  /** The product's licensing model, which names what its installations are (computers, farms, proxy servers). */
  productModel: string;
  /** Where the product's customers get support, as the vendor set it; null for none. */
  supportUrl: string | null;
  used: number;
  availableInMain: number;
  availableInReserved: number;
}

export interface SubscriptionView {
  subscription: Subscription;
  items: ItemView[];
  keys: KeyRowView[];
  orders: Order[];
}

/**
 * A subscription as its details page shows it; the caller has already checked access to its
 * account (null: a subscription no account has registered yet, as the vendor sees it).
 */
export async function loadSubscriptionView(db: Executor, accountId: string | null, subscriptionId: string): Promise<SubscriptionView> {
  const subscription = await findSubscription(db, subscriptionId);
  if (!subscription || subscription.account_id !== accountId) throw notFound('Subscription');
  const [items, keys, orders, products] = await Promise.all([
    listItems(db, subscriptionId),
    listKeysOfSubscription(db, subscriptionId),
    listOrdersOfSubscription(db, subscriptionId),
    listProducts(db),
  ]);
  const catalog = new Map(products.map((p) => [p.code, p]));
  const itemViews: ItemView[] = [];
  const keyRows: KeyRowView[] = [];
  for (const item of items) {
    const pool = poolOfItem(item, keys);
    const summary = summarizePool(pool);
    const product = catalog.get(item.product_code);
    itemViews.push({
      item,
      productName: product?.name ?? item.product_code,
      productModel: product?.model ?? 'per_device',
      supportUrl: product?.supportUrl ?? null,
      used: summary.used,
      availableInMain: summary.mainFree,
      availableInReserved: summary.availableInReserved,
    });
    for (const poolKey of pool.keys) {
      const key = keys.find((k) => k.id === poolKey.id)!;
      keyRows.push({ key, itemId: item.id, ...keyRow(poolKey, pool) });
    }
  }
  return { subscription, items: itemViews, keys: keyRows, orders };
}
