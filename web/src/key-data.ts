import { keyEnding } from '../../src/domain/license-key';
import type { LicenseKeyRow } from './api';
import { listSubscriptionDetails } from './subscription-data';

/**
 * A license key of the account with what the pickers show of it: its subscription, product and
 * free seats, and its last group only: a picker tells keys apart, the full key stays on its page.
 */
export interface KeyChoice extends Pick<LicenseKeyRow, 'id' | 'name' | 'kind' | 'quota' | 'available'> {
  ending: string;
  subscriptionId: string;
  subscriptionName: string;
  productCode: string;
  productName: string;
  /** The subscription holds other products too: the primary key serves each, with each one's seats. */
  severalProducts: boolean;
}

/** The keys of the account's subscriptions the caller may see, for the key filters and pickers. */
export async function listAccountKeys(accountId: string): Promise<KeyChoice[]> {
  return (await listSubscriptionDetails(accountId)).flatMap((d) =>
    d.keys.map((k) => {
      const product = d.products.find((p) => p.itemId === k.itemId);
      return {
        id: k.id,
        name: k.name,
        kind: k.kind,
        quota: k.quota,
        available: k.available,
        ending: keyEnding(k.key),
        subscriptionId: d.subscription.id,
        subscriptionName: d.subscription.name,
        productCode: product?.productCode ?? '',
        productName: product?.productName ?? '',
        severalProducts: d.products.length > 1,
      };
    }),
  );
}

/** A key as every picker names it: "Design team · …-7F3K9 · 3 of 10 seats free". */
export const keyLabel = (k: KeyChoice) =>
  [k.name, k.severalProducts && k.productName, k.ending, `${k.available} of ${k.quota} seat${k.quota === 1 ? '' : 's'} free`].filter(Boolean).join(' · ');
