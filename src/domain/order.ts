import type { Product } from './catalog.js';
import type { Duration, OrderItem, SalesChannel } from '../data/schema.js';
import { durationAllowed } from './subscription.js';

export interface OrderProblem {
  field: string;
  message: string;
}

/**
 * Checks an order against the catalog and the sales rules: known products, the license type a
 * product needs (and none where it has no types), one line per product and type, monthly terms
 * and auto-renewal for online orders only.
 */
export function checkOrder(
  order: { items: OrderItem[]; duration: Duration; channel: SalesChannel; autoRenew: boolean },
  catalog: ReadonlyMap<string, Product>,
): OrderProblem | null {
  if (order.items.length === 0) return { field: 'items', message: 'an order needs at least one product' };
  const seen = new Set<string>();
  for (const [i, item] of order.items.entries()) {
    const product = catalog.get(item.productCode);
    if (!product) return { field: `items.${i}.productCode`, message: `"${item.productCode}" is not in the catalog` };
    if (product.licenseTypes.length > 0 && (item.licenseType === null || !product.licenseTypes.includes(item.licenseType))) {
      return { field: `items.${i}.licenseType`, message: `${product.name} is sold by license type: one of ${product.licenseTypes.join(', ')}` };
    }
    if (product.licenseTypes.length === 0 && item.licenseType !== null) {
      return { field: `items.${i}.licenseType`, message: `${product.name} has no license types` };
    }
    const line = `${item.productCode}/${item.licenseType ?? ''}`;
    if (seen.has(line)) return { field: `items.${i}`, message: 'each product and license type appears once' };
    seen.add(line);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) return { field: `items.${i}.quantity`, message: 'must be a whole number of at least 1' };
  }
  if (!durationAllowed(order.duration, order.channel)) return { field: 'duration', message: '1 month is sold only in online orders' };
  if (order.autoRenew && order.channel !== 'online') return { field: 'autoRenew', message: 'only online orders renew automatically' };
  return null;
}

/** The name a new subscription carries until the customer renames it, as the guides show it. */
export function defaultSubscriptionName(items: OrderItem[], catalog: ReadonlyMap<string, Product>, expiresAt: Date): string {
  const first = items[0]!;
  const product = catalog.get(first.productCode)?.name ?? first.productCode;
  const type = first.licenseType ? ` (${first.licenseType})` : '';
  const more = items.length > 1 ? ` and ${items.length - 1} more` : '';
  return `${product}${type} - ${first.quantity} licenses${more} - valid till ${expiresAt.toISOString().slice(0, 10)}`;
}
