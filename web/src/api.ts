// The portal's only way to the server: the same public HTTP API everyone else uses.

export interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  emailVerified: boolean;
  isOperator: boolean;
  createdAt: string;
}

export interface MyAccount {
  id: string;
  kind: 'personal' | 'business';
  name: string;
  supportCode: string;
  role: 'admin' | 'member';
  status: 'active' | 'blocked';
}

export type SubscriptionStatus = 'active' | 'expiring_soon' | 'expired' | 'suspended';

export interface SubscriptionSummary {
  id: string;
  accountId: string | null;
  name: string;
  status: SubscriptionStatus;
  channel: 'online' | 'reseller' | 'trial';
  supportPlan: 'standard' | 'premium';
  autoRenew: boolean;
  startsAt: string;
  expiresAt: string;
  registeredAt: string | null;
}

export interface LicenseKeyRow {
  id: string;
  name: string;
  kind: 'primary' | 'dynamic' | 'reserved';
  key: string;
  itemId: string;
  quota: number;
  used: number;
  available: number;
  expiresAt: string;
  renewsWithSubscription: boolean;
}

export interface SubscriptionProduct {
  itemId: string;
  productCode: string;
  productName: string;
  productModel: 'per_device' | 'per_user' | 'concurrent_users' | 'per_managed_device';
  /** Where the product's customers get support (https://, http:// or mailto:), as the vendor set it. */
  supportUrl: string | null;
  licenseType: string | null;
  quantity: number;
  used: number;
  availableInMainPool: number;
  availableInReservedKeys: number;
}

export interface OrderHistoryEntry {
  number: number;
  kind: 'new' | 'renewal' | 'add_licenses' | 'trial';
  duration: '1m' | '1y' | '2y' | '3y' | null;
  items: { productCode: string; licenseType: string | null; quantity: number }[];
  previousExpiresAt: string | null;
  newExpiresAt: string;
  createdAt: string;
}

export interface SubscriptionDetails {
  subscription: SubscriptionSummary;
  contract: { customerEmail: string; supportPlan: 'standard' | 'premium'; channel: 'online' | 'reseller' | 'trial' };
  products: SubscriptionProduct[];
  keys: LicenseKeyRow[];
  orders: OrderHistoryEntry[];
}

export interface Company {
  name: string;
  street: string;
  city: string;
  country: string;
  state: string | null;
  zip: string;
  phone: string;
}

export interface SessionRow {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

/** An error answer of the API, with its messages per field ("company.state", "quota"...). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string>,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { field?: unknown; issues?: { path?: string; message?: string }[] } };
}

function fieldMessages(details: NonNullable<ErrorBody['error']>['details'], message: string): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof details?.field === 'string') fields[details.field] = message;
  for (const issue of details?.issues ?? []) {
    if (issue.path && !(issue.path in fields)) fields[issue.path] = issue.message ?? 'is invalid';
  }
  return fields;
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the session (from sign-in, or GET /sessions/current after a reload). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : { type: 'application/json', text: JSON.stringify(body) });
}

/** Posts a CSV file as it is (the invitation uploads), answered in JSON like every other call. */
export function apiCsv<T>(path: string, csv: string): Promise<T> {
  return send<T>('POST', path, { type: 'text/csv', text: csv });
}

async function send<T>(method: string, path: string, body?: { type: string; text: string }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body) headers['content-type'] = body.type;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: body?.text, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached; check your connection and try again', {});
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (!res.ok) {
    const err = (parsed as ErrorBody).error;
    const message = err?.message ?? `The server answered ${res.status}`;
    throw new ApiError(res.status, err?.code ?? 'unknown', message, fieldMessages(err?.details, message));
  }
  return parsed as T;
}

/** The address of a CSV download: a plain link, so the browser saves the file the server names. */
export const downloadHref = (path: string) => `/api/v1${path}`;

/** The message of any error thrown by a call, for the places that show it in one line. */
export const errorMessage = (err: unknown) => (err instanceof ApiError ? err.message : 'Something went wrong');

export const accountPath = (accountId: string) => `/accounts/${encodeURIComponent(accountId)}`;

/** One page of a cursor-paged list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
