import { accountPath, api, type SubscriptionDetails, type SubscriptionSummary } from './api';

export type Filter = 'all' | 'active' | 'expiring_soon' | 'expired';
export type Sort = 'expires_at' | 'starts_at' | 'name';

export interface SubscriptionPage {
  items: SubscriptionSummary[];
  nextCursor: string | null;
}

export function listSubscriptions(accountId: string, q: { filter: Filter; sort: Sort; order: 'asc' | 'desc'; cursor?: string | null; limit?: number }) {
  const params = new URLSearchParams({ filter: q.filter, sort: q.sort, order: q.order, limit: String(q.limit ?? 50) });
  if (q.cursor) params.set('cursor', q.cursor);
  return api<SubscriptionPage>('GET', `${accountPath(accountId)}/subscriptions?${params}`);
}

export const getSubscription = (accountId: string, subscriptionId: string) =>
  api<SubscriptionDetails>('GET', `${accountPath(accountId)}/subscriptions/${encodeURIComponent(subscriptionId)}`);

export const subscriptionHref = (s: { id: string; accountId: string | null }, accountId: string) =>
  `/accounts/${s.accountId ?? accountId}/subscriptions/${s.id}`;
