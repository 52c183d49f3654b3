// The back office's view of the vendor API (/api/v1/vendor/*): shapes and calls, nothing else.
import { api, type OrderHistoryEntry, type Page, type SubscriptionDetails, type SubscriptionSummary } from '../../api';

export type Duration = '1m' | '1y' | '2y' | '3y';
export type Channel = 'online' | 'reseller' | 'trial';

export interface Item {
  id: string;
  productCode: string;
  licenseType: string | null;
  quantity: number;
}

export interface OrderLine {
  productCode: string;
  licenseType: string | null;
  quantity: number;
}

export interface VendorSubscription extends SubscriptionSummary {
  customerEmail: string;
  account: { id: string; name: string; supportCode: string } | null;
  items: Item[];
}

export interface Order extends OrderHistoryEntry {
  id: string;
  subscriptionId: string;
  accountId: string | null;
  channel: Channel;
  placedBy: string | null;
}

export interface Account {
  id: string;
  kind: 'personal' | 'business';
  name: string;
  street: string | null;
  city: string | null;
  country: string | null;
  state: string | null;
  zip: string | null;
  phone: string | null;
  supportCode: string;
  offlineActivationEnabled: boolean;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: 'admin' | 'member';
  status: 'active' | 'blocked';
  notes: string;
  joinedAt: string;
}

export interface AccountDetails {
  account: Account;
  members: Member[];
  moreMembers: boolean;
  subscriptions: VendorSubscription[];
  moreSubscriptions: boolean;
}

export type VendorSubscriptionDetails = SubscriptionDetails & { account: Account | null };

export const SEAT_UNITS = ['installation', 'user', 'concurrent_user', 'managed_device'] as const;
export const MODELS = ['per_device', 'per_user', 'concurrent_users', 'per_managed_device'] as const;
export const OVER_QUOTA = ['block', 'warn', 'grace_then_block'] as const;

export interface LicensingParams {
  seatUnit: (typeof SEAT_UNITS)[number];
  installationsPerKey: 1 | null;
  checkInMaxHours: number;
  checkInJitter: boolean;
  expiryGraceDays: number;
  overuseGraceDays: number;
  overQuota: (typeof OVER_QUOTA)[number];
  maxMoves: number | null;
  usageReportDays: number | null;
  validationMinutes: number | null;
  trialDays: number;
  trialSeats: number;
}

export interface Product {
  code: string;
  name: string;
  model: (typeof MODELS)[number];
  licenseTypes: string[];
  params: LicensingParams;
  /** Where the product's customers get support: https://, http:// or mailto:, or null for none. */
  supportUrl: string | null;
}

export interface Issued {
  subscription: SubscriptionSummary & { customerEmail: string };
  items: Item[];
  primaryKey: { id: string; key: string };
  order: Order;
}

export type SubscriptionFilter = {
  search: string;
  status: 'all' | 'active' | 'expiring_soon' | 'expired' | 'suspended';
  channel: '' | Channel;
  product: string;
};

const V = '/vendor';
const id = (value: string) => encodeURIComponent(value);

/** The filter as a query string: empty fields are left out, as the API wants them absent. */
export function filterQuery(f: SubscriptionFilter): URLSearchParams {
  const params = new URLSearchParams({ status: f.status });
  if (f.search.trim()) params.set('search', f.search.trim());
  if (f.channel) params.set('channel', f.channel);
  if (f.product) params.set('product', f.product);
  return params;
}

function paged(params: URLSearchParams, cursor: string | null, limit: number): URLSearchParams {
  const copy = new URLSearchParams(params);
  copy.set('limit', String(limit));
  if (cursor) copy.set('cursor', cursor);
  return copy;
}

export const vendor = {
  products: () => api<{ items: Product[] }>('GET', `${V}/products`),
  putProduct: ({ code, ...body }: Product) => api<{ product: Product }>('PUT', `${V}/products/${id(code)}`, body),

  placeOrder: (body: { customerEmail: string; items: OrderLine[]; duration: Duration; channel: 'online' | 'reseller'; supportPlan: 'standard' | 'premium'; autoRenew: boolean }) =>
    api<Issued>('POST', `${V}/orders`, body),
  issueTrial: (body: { customerEmail: string; productCode: string; licenseType: string | null }) => api<Issued>('POST', `${V}/trials`, body),
  orders: (cursor: string | null, limit: number) => api<Page<Order>>('GET', `${V}/orders?${paged(new URLSearchParams(), cursor, limit)}`),

  subscriptions: (f: SubscriptionFilter, cursor: string | null, limit: number) => api<Page<VendorSubscription>>('GET', `${V}/subscriptions?${paged(filterQuery(f), cursor, limit)}`),
  csvHref: (f: SubscriptionFilter) => `/api/v1${V}/subscriptions.csv?${filterQuery(f)}`,
  subscription: (subscriptionId: string) => api<VendorSubscriptionDetails>('GET', `${V}/subscriptions/${id(subscriptionId)}`),
  renew: (subscriptionId: string, duration: Duration) => api<{ order: Order }>('POST', `${V}/subscriptions/${id(subscriptionId)}/renewals`, { duration }),
  addLicenses: (subscriptionId: string, items: OrderLine[]) => api<{ order: Order }>('POST', `${V}/subscriptions/${id(subscriptionId)}/additions`, { items }),
  suspend: (subscriptionId: string) => api<{ subscription: SubscriptionSummary }>('POST', `${V}/subscriptions/${id(subscriptionId)}/suspension`),
  resume: (subscriptionId: string) => api<{ subscription: SubscriptionSummary }>('DELETE', `${V}/subscriptions/${id(subscriptionId)}/suspension`),

  accounts: (search: string, cursor: string | null, limit: number) => {
    const params = new URLSearchParams();
    if (search.trim()) params.set('search', search.trim());
    return api<Page<Account>>('GET', `${V}/accounts?${paged(params, cursor, limit)}`);
  },
  account: (accountId: string) => api<AccountDetails>('GET', `${V}/accounts/${id(accountId)}`),
  setOfflineActivation: (accountId: string, enabled: boolean) => api<{ account: Account }>('PUT', `${V}/accounts/${id(accountId)}/offline-activation`, { enabled }),
};

export const CHANNEL_LABELS: Record<Channel, string> = { online: 'Online', reseller: 'Reseller', trial: 'Trial' };
export const PLAN_LABELS = { standard: 'Standard', premium: 'Premium' } as const;
