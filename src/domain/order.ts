import { licenseTypeRule, type Product } from './catalog.js';
import { durationAllowed, type Duration, type SalesChannel } from './subscription.js';

export type OrderKind = 'new' | 'renewal' | 'add_licenses' | 'trial';

/** One line of an order, as the order keeps it. */
export interface OrderItem {
  productCode: string;
  licenseType: string | null;
  quantity: number;
}

export interface OrderProblem {
  field: string;
  message: string;
}

type Line = Pick<OrderItem, 'productCode' | 'licenseType'>;

/** A product sold by license type needs one of its types, unless its types are optional; a product without types takes none. */
function licenseTypeProblem(product: Product, licenseType: string | null): string | null {
  if (licenseType === null && !product.licenseTypeRequired) return null;
  if (product.licenseTypes.length > 0 && (licenseType === null || !product.licenseTypes.includes(licenseType))) {
    return `${product.name} is sold by license type: one of ${product.licenseTypes.join(', ')}`;
  }
  if (product.licenseTypes.length === 0 && licenseType !== null) return `${product.name} has no license types`;
  return null;
}

/** A new line of a license type sold with a minimum, or not online, checked against the channel it is sold on. */
function typeRuleProblem(product: Product, item: OrderItem, channel: SalesChannel, isNewLine: boolean): OrderProblem | null {
  const rule = licenseTypeRule(product, item.licenseType);
  if (!rule.soldOnline && channel === 'online') return { field: 'channel', message: `${product.name} (${item.licenseType}) is not sold online; the vendor sells it` };
  if (isNewLine && item.quantity < rule.minimumQuantity) return { field: 'quantity', message: `${product.name} (${item.licenseType}) is sold ${rule.minimumQuantity} licenses at least` };
  return null;
}

/**
 * Checks order lines against the catalog: known products, the license type a product needs (and
 * none where it has no types), one line per product and type, whole positive quantities, and the
 * type's own rules (a minimum for a new line, not sold online). A product that requires a license
 * type holds a single type per subscription (the guides sell Desktop and Mobile as two
 * subscriptions), counting the lines the subscription already has; where the type is optional, an
 * untyped line sits beside a typed one (Enterprise mixes key and sign-in seats).
 */
export function checkItems(
  items: readonly OrderItem[],
  catalog: ReadonlyMap<string, Product>,
  existing: readonly Line[] = [],
  channel: SalesChannel = 'reseller',
): OrderProblem | null {
  if (items.length === 0) return { field: 'items', message: 'an order needs at least one product' };
  const seen = new Set<string>();
  const typeOf = new Map(existing.filter((l) => l.licenseType !== null).map((l) => [l.productCode, l.licenseType]));
  for (const [i, item] of items.entries()) {
    const product = catalog.get(item.productCode);
    if (!product) return { field: `items.${i}.productCode`, message: `"${item.productCode}" is not in the catalog` };
    const typeProblem = licenseTypeProblem(product, item.licenseType);
    if (typeProblem) return { field: `items.${i}.licenseType`, message: typeProblem };
    const line = `${item.productCode}/${item.licenseType ?? ''}`;
    if (seen.has(line)) return { field: `items.${i}`, message: 'each product and license type appears once' };
    seen.add(line);
    const held = typeOf.get(item.productCode);
    if (held !== undefined && held !== item.licenseType && product.licenseTypeRequired) {
      return { field: `items.${i}.licenseType`, message: `${product.name} is sold as one subscription per license type; this one holds ${held}` };
    }
    if (item.licenseType !== null) typeOf.set(item.productCode, item.licenseType);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) return { field: `items.${i}.quantity`, message: 'must be a whole number of at least 1' };
    const isNewLine = !existing.some((l) => l.productCode === item.productCode && l.licenseType === item.licenseType);
    const ruleProblem = typeRuleProblem(product, item, channel, isNewLine);
    if (ruleProblem) return { field: ruleProblem.field === 'channel' ? 'channel' : `items.${i}.${ruleProblem.field}`, message: ruleProblem.message };
  }
  return null;
}

/** Checks a new order: its lines, then monthly terms and auto-renewal for online orders only. */
export function checkOrder(
  order: { items: OrderItem[]; duration: Duration; channel: SalesChannel; autoRenew: boolean },
  catalog: ReadonlyMap<string, Product>,
): OrderProblem | null {
  const problem = checkItems(order.items, catalog, [], order.channel);
  if (problem) return problem;
  if (!durationAllowed(order.duration, order.channel)) return { field: 'duration', message: '1 month is sold only in online orders' };
  if (order.autoRenew && order.channel !== 'online') return { field: 'autoRenew', message: 'only online orders renew automatically' };
  return null;
}

/**
 * A renewal or a purchase of more licenses is sold on the subscription's own channel. A trial is
 * neither renewed nor enlarged: turning it into a paid subscription is a new order.
 */
export function checkChange(channel: SalesChannel, duration: Duration | null): OrderProblem | null {
  if (channel === 'trial') return { field: 'subscription', message: 'a trial is not renewed or enlarged; place an order for the customer instead' };
  if (duration !== null && !durationAllowed(duration, channel)) return { field: 'duration', message: '1 month is sold only for online subscriptions' };
  return null;
}

export const TRIAL_MAX_DAYS = 90;

export type TrialTerms = { ok: true; item: OrderItem; days: number } | { ok: false; problem: OrderProblem };

/** A trial's line and length: the product's seats and days unless the operator chooses, never past 90 days. */
export function trialTerms(product: Product, chosen: { licenseType: string | null; quantity?: number | undefined; days?: number | undefined }): TrialTerms {
  const typeProblem = licenseTypeProblem(product, chosen.licenseType);
  if (typeProblem) return { ok: false, problem: { field: 'licenseType', message: typeProblem } };
  const quantity = chosen.quantity ?? product.params.trialSeats;
  const days = chosen.days ?? product.params.trialDays;
  if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, problem: { field: 'quantity', message: 'must be a whole number of at least 1' } };
  if (!Number.isInteger(days) || days < 1 || days > TRIAL_MAX_DAYS) {
    return { ok: false, problem: { field: 'days', message: `must be a whole number of days from 1 to ${TRIAL_MAX_DAYS}` } };
  }
  return { ok: true, item: { productCode: product.code, licenseType: chosen.licenseType, quantity }, days };
}

/** The name a new subscription carries until the customer renames it, as the guides show it. */
export function defaultSubscriptionName(items: OrderItem[], catalog: ReadonlyMap<string, Product>, expiresAt: Date): string {
  const first = items[0]!;
  const product = catalog.get(first.productCode)?.name ?? first.productCode;
  const type = first.licenseType ? ` (${first.licenseType})` : '';
  const more = items.length > 1 ? ` and ${items.length - 1} more` : '';
  return `${product}${type} - ${first.quantity} licenses${more} - valid till ${expiresAt.toISOString().slice(0, 10)}`;
}
