import { findEditionTrial, findEditionTrialBySubscription, type EditionTrialRecord } from '../../data/repositories/editions.js';
import { listKeysOfSubscription, type KeyRecord } from '../../data/repositories/license-keys.js';
import { listOrdersOfSubscription } from '../../data/repositories/orders.js';
import { listProducts } from '../../data/repositories/products.js';
import { findSubscription, listItems } from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/executor.js';
import type { Order, Subscription, SubscriptionItem } from '../../data/schema.js';
import { notFound } from '../../domain/errors.js';
import type { CatalogProduct, LicensingParams } from '../../domain/catalog.js';
import { keyRow, summarizePool, type PoolState } from '../../domain/seat-pool.js';
import { itemPoolOf } from '../licensing/item-pool.js';

export interface KeyRowView {
  key: KeyRecord;
  itemId: string;
  quota: number;
  used: number;
  available: number;
}

/** One product's seat figures and the rows of the keys in its pool, as a change to a key moves them. */
export interface ItemSeats {
  item: SubscriptionItem;
  used: number;
  availableInMain: number;
  availableInReserved: number;
  keys: KeyRowView[];
}

export interface ItemView extends Omit<ItemSeats, 'keys'> {
  productName: string;
  /** The product's licensing model, which names what its installations are (computers, farms, proxy servers). */
  productModel: string;
  /** What a seat is, and whether a key serves one installation only: what a key's quota counts. */
  seatUnit: LicensingParams['seatUnit'];
  installationsPerKey: LicensingParams['installationsPerKey'];
  /** Where the product's customers get support, as the vendor set it; null for none. */
  supportUrl: string | null;
}

/** The subscription among the editions of its product (capability 10). */
export interface EditionsView {
  /** The edition its products upgrade to, or were converted to; null for a product with no other edition. */
  upgrade: { product: CatalogProduct; converted: boolean } | null;
  /** The account's trial of that edition, beside this subscription or another. */
  trial: EditionTrialRecord | null;
  /** When this subscription is an edition trial: the subscription it was started beside. */
  trialOf: { id: string; name: string } | null;
}

export interface SubscriptionView {
  subscription: Subscription;
  items: ItemView[];
  keys: KeyRowView[];
  orders: Order[];
  editions: EditionsView;
}

/** Where a subscription stands among editions: its upgrade (pending or done), the account's trial of it, and what a trial is beside. */
async function editionsOf(db: Executor, accountId: string | null, subscriptionId: string, items: readonly SubscriptionItem[], catalog: ReadonlyMap<string, CatalogProduct>): Promise<EditionsView> {
  const pending = items.map((i) => catalog.get(i.product_code)?.upgradeTo).find((code) => typeof code === 'string');
  const converted = items.find((i) => i.converted_from !== null);
  const product = pending ? catalog.get(pending) : converted ? catalog.get(converted.product_code) : undefined;
  const upgrade = product ? { product, converted: !pending } : null;
  if (accountId === null) return { upgrade, trial: null, trialOf: null };
  const [trial, self] = await Promise.all([upgrade ? findEditionTrial(db, accountId, upgrade.product.code) : null, findEditionTrialBySubscription(db, accountId, subscriptionId)]);
  return { upgrade, trial, trialOf: self?.beside ?? null };
}

/** A product's seats from its pool and the subscription's key records the pool was made from. */
export function seatsOfItem(item: SubscriptionItem, keys: readonly KeyRecord[], pool: PoolState): ItemSeats {
  const summary = summarizePool(pool);
  return {
    item,
    used: summary.used,
    availableInMain: summary.mainFree,
    availableInReserved: summary.availableInReserved,
    keys: pool.keys.map((poolKey) => ({ key: keys.find((k) => k.id === poolKey.id)!, itemId: item.id, ...keyRow(poolKey, pool) })),
  };
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
    const product = catalog.get(item.product_code);
    if (!product) throw new Error(`subscription item ${item.id} names unknown product ${item.product_code}`);
    const { keys: rows, ...seats } = seatsOfItem(item, keys, await itemPoolOf(db, item, keys, product));
    itemViews.push({
      ...seats,
      productName: product.name,
      productModel: product.model,
      seatUnit: product.params.seatUnit,
      installationsPerKey: product.params.installationsPerKey,
      supportUrl: product.supportUrl,
    });
    keyRows.push(...rows);
  }
  return { subscription, items: itemViews, keys: keyRows, orders, editions: await editionsOf(db, accountId, subscriptionId, items, catalog) };
}
