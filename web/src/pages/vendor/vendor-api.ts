// The back office's view of the vendor API (/api/v1/vendor/*): its shapes, as the server's
// document names them, and its calls.
import { answer, api, downloadHref, type Answer, type Query, type RequestBody, type Schemas } from '../../api';

export type Order = Schemas['Order'];
export type Duration = NonNullable<Order['duration']>;
export type Channel = Order['channel'];
export type OrderLine = Schemas['OrderLine'];
export type Account = Schemas['Account'];
export type VendorSubscriptionDetails = Schemas['VendorSubscriptionDetails'];
export type Product = Answer<'get', '/api/v1/vendor/products'>['items'][number];
export type Issued = Schemas['IssuedSubscription'];

type SubscriptionQuery = Query<'get', '/api/v1/vendor/subscriptions'>;

/** The subscriptions list's filter as the page keeps it: an empty field filters nothing. */
export type SubscriptionFilter = {
  search: string;
  status: NonNullable<SubscriptionQuery['status']>;
  channel: '' | Channel;
  product: string;
};

/** The filter as the API wants it: empty fields left out. */
function filterQuery(f: SubscriptionFilter): SubscriptionQuery {
  return { status: f.status, search: f.search.trim() || undefined, channel: f.channel || undefined, product: f.product || undefined };
}

const page = (cursor: string | null, limit: number) => ({ limit, cursor: cursor ?? undefined });
const subscription = (id: string) => ({ params: { path: { id } } });

export const vendor = {
  products: () => answer(api.GET('/api/v1/vendor/products')),
  putProduct: ({ code, ...body }: Product) => answer(api.PUT('/api/v1/vendor/products/{code}', { params: { path: { code } }, body })),

  placeOrder: (body: RequestBody<'post', '/api/v1/vendor/orders'>) => answer(api.POST('/api/v1/vendor/orders', { body })),
  issueTrial: (body: RequestBody<'post', '/api/v1/vendor/trials'>) => answer(api.POST('/api/v1/vendor/trials', { body })),
  orders: (cursor: string | null, limit: number) => answer(api.GET('/api/v1/vendor/orders', { params: { query: page(cursor, limit) } })),

  subscriptions: (f: SubscriptionFilter, cursor: string | null, limit: number) =>
    answer(api.GET('/api/v1/vendor/subscriptions', { params: { query: { ...filterQuery(f), ...page(cursor, limit) } } })),
  csvHref: (f: SubscriptionFilter) => downloadHref('/vendor/subscriptions.csv', filterQuery(f)),
  subscription: (id: string) => answer(api.GET('/api/v1/vendor/subscriptions/{id}', subscription(id))),
  renew: (id: string, duration: Duration) => answer(api.POST('/api/v1/vendor/subscriptions/{id}/renewals', { ...subscription(id), body: { duration } })),
  addLicenses: (id: string, items: OrderLine[]) => answer(api.POST('/api/v1/vendor/subscriptions/{id}/additions', { ...subscription(id), body: { items } })),
  suspend: (id: string) => answer(api.POST('/api/v1/vendor/subscriptions/{id}/suspension', subscription(id))),
  startEditionTrial: (id: string) => answer(api.POST('/api/v1/vendor/subscriptions/{id}/edition-trial', { ...subscription(id), body: {} })),
  convert: (id: string) => answer(api.POST('/api/v1/vendor/subscriptions/{id}/conversion', subscription(id))),
  makePermanent: (id: string, body: RequestBody<'post', '/api/v1/vendor/subscriptions/{id}/permanent'>) =>
    answer(api.POST('/api/v1/vendor/subscriptions/{id}/permanent', { ...subscription(id), body })),
  resume: (id: string) => answer(api.DELETE('/api/v1/vendor/subscriptions/{id}/suspension', subscription(id))),

  accounts: (search: string, cursor: string | null, limit: number) =>
    answer(api.GET('/api/v1/vendor/accounts', { params: { query: { search: search.trim() || undefined, ...page(cursor, limit) } } })),
  account: (id: string) => answer(api.GET('/api/v1/vendor/accounts/{id}', { params: { path: { id } } })),
  setOfflineActivation: (id: string, enabled: boolean) => answer(api.PUT('/api/v1/vendor/accounts/{id}/offline-activation', { params: { path: { id } }, body: { enabled } })),
};

export const CHANNEL_LABELS: Record<Channel, string> = { online: 'Online', reseller: 'Reseller', trial: 'Trial' };
export const PLAN_LABELS = { standard: 'Standard', premium: 'Premium' } as const;
