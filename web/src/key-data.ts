import type { LicenseKeyRow } from './api';
import { getSubscription, listSubscriptions } from './subscription-data';

/** A license key of the account with what the pickers show of it: its subscription and product. */
export interface KeyChoice extends Pick<LicenseKeyRow, 'id' | 'name' | 'kind'> {
  subscriptionId: string;
  subscriptionName: string;
  productCode: string;
  productName: string;
}

/** The keys of the account's subscriptions the caller may see, for the key filters and pickers. */
export async function listAccountKeys(accountId: string): Promise<KeyChoice[]> {
  const { items } = await listSubscriptions(accountId, { filter: 'all', sort: 'name', order: 'asc', limit: 100 });
  const details = await Promise.all(items.filter((s) => s.accountId === null || s.accountId === accountId).map((s) => getSubscription(accountId, s.id)));
  return details.flatMap((d) =>
    d.keys.map((k) => {
      const product = d.products.find((p) => p.itemId === k.itemId);
      return {
        id: k.id,
        name: k.name,
        kind: k.kind,
        subscriptionId: d.subscription.id,
        subscriptionName: d.subscription.name,
        productCode: product?.productCode ?? '',
        productName: product?.productName ?? '',
      };
    }),
  );
}

export const keyLabel = (k: KeyChoice) => `${k.name} · ${k.subscriptionName}`;
