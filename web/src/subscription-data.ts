import { subscriptionPath } from '../../src/domain/portal-links';
import { answer, api, type ProductSeats, type Query, type SubscriptionDetails } from './api';

type ListQuery = Query<'get', '/api/v1/accounts/{accountId}/subscriptions'>;
export type Filter = NonNullable<ListQuery['filter']>;
export type Sort = NonNullable<ListQuery['sort']>;

export function listSubscriptions(accountId: string, q: { filter: Filter; sort: Sort; order: 'asc' | 'desc'; cursor?: string | null; limit?: number }) {
  const query = { filter: q.filter, sort: q.sort, order: q.order, limit: q.limit ?? 50, cursor: q.cursor ?? undefined };
  return answer(api.GET('/api/v1/accounts/{accountId}/subscriptions', { params: { path: { accountId }, query } }));
}

export const getSubscription = (accountId: string, subscriptionId: string) =>
  answer(api.GET('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}', { params: { path: { accountId, subscriptionId } } }));

/** The details of every subscription of the account the caller may see: the pickers' and the management pages' keys and seats. */
export async function listSubscriptionDetails(accountId: string): Promise<SubscriptionDetails[]> {
  const { items } = await listSubscriptions(accountId, { filter: 'all', sort: 'name', order: 'asc', limit: 100 });
  return Promise.all(items.filter((s) => s.accountId === null || s.accountId === accountId).map((s) => getSubscription(accountId, s.id)));
}

export const subscriptionHref = (s: { id: string; accountId: string | null }, accountId: string) => subscriptionPath(s.accountId ?? accountId, s.id);

/** The details once a change to a key moved its product's seats: that product's figures and key rows replaced in place. */
export function withSeats(details: SubscriptionDetails, seats: ProductSeats): SubscriptionDetails {
  const { itemId, keys, ...figures } = seats;
  return {
    ...details,
    products: details.products.map((p) => (p.itemId === itemId ? { ...p, ...figures } : p)),
    keys: details.products.flatMap((p) => (p.itemId === itemId ? keys : details.keys.filter((k) => k.itemId === p.itemId))),
  };
}
