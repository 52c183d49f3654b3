import { accountPath, api } from './api';

// The account's installations (capability 7) as the API answers them: the id and the chosen columns.
export type InstallationState = 'active' | 'deactivated';
export type PendingAction = 'deactivate' | 'move' | null;

export interface InstallationRow {
  id: string;
  name?: string | null;
  alias?: string | null;
  state?: InstallationState;
  blacklisted?: boolean;
  product?: { code: string; name: string };
  licenseType?: string | null;
  key?: { id: string; name: string } | null;
  subscriptionId?: string | null;
  version?: string | null;
  hostOs?: string | null;
  userName?: string | null;
  activatedAt?: string;
  activatedBy?: string | null;
  lastContactAt?: string;
  licenseExpiresAt?: string | null;
  usagePeak?: number | null;
  usageCurrent?: number | null;
  pendingAction?: PendingAction;
  notes?: string;
  serialNumber?: string | null;
  macAddresses?: string[];
  ipAddresses?: string[];
  siteCode?: string | null;
}

export type Column = Exclude<keyof InstallationRow, 'id'>;

export interface InstallationDetails {
  id: string;
  name: string | null;
  alias: string | null;
  notes: string;
  general: {
    state: InstallationState;
    blacklisted: boolean;
    pendingAction: PendingAction;
    pendingKeyId: string | null;
    product: { code: string; name: string };
    licenseType: string | null;
    key: { id: string; name: string } | null;
    subscriptionId: string | null;
    version: string | null;
    hostOs: string | null;
    userName: string | null;
    activatedAt: string;
    activatedBy: string | null;
    lastContactAt: string;
    deactivatedAt: string | null;
    licenseExpiresAt: string | null;
    usagePeak: number | null;
    usageCurrent: number | null;
    siteCode: string | null;
    siteDescription: string | null;
    serverId: string | null;
  };
  hardware: { serialNumber: string | null; model: string | null; cpuArch: string | null; macAddresses: string[]; ipAddresses: string[] };
  usage: { date: string; peak: number }[];
}

export type BulkAction = 'deactivate' | 'blacklist' | 'unblacklist' | 'move';
export type ActionResult =
  | { installationId: string; ok: true; state: InstallationState; blacklisted: boolean; pendingAction: PendingAction }
  | { installationId: string; ok: false; error: { code: string; message: string } };

export type StateFilter = 'all' | 'active' | 'deactivated' | 'blacklisted';
export type ExpiryFilter = 'all' | 'expiring_soon' | 'expired';
export type SortKey = 'lastSeen' | 'activatedAt' | 'name' | 'expiresAt';

export interface ListQuery {
  keyId: string | null;
  product: string | null;
  state: StateFilter;
  expiry: ExpiryFilter;
  q: string;
  sort: SortKey;
  order: 'asc' | 'desc';
  columns: Column[];
}

/** The query string of the list and of its CSV: the same filters, order and columns. */
export function listParams(query: ListQuery): URLSearchParams {
  const params = new URLSearchParams({ state: query.state, expiry: query.expiry, sort: query.sort, order: query.order, columns: query.columns.join(',') });
  if (query.keyId) params.set('keyId', query.keyId);
  if (query.product) params.set('product', query.product);
  if (query.q.trim()) params.set('q', query.q.trim());
  return params;
}

export function listInstallations(accountId: string, query: ListQuery, cursor: string | null, limit: number) {
  const params = listParams(query);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return api<{ items: InstallationRow[]; nextCursor: string | null }>('GET', `${accountPath(accountId)}/installations?${params}`);
}

export const getInstallation = (accountId: string, id: string) => api<InstallationDetails>('GET', `${accountPath(accountId)}/installations/${encodeURIComponent(id)}`);

export const actOnInstallations = (accountId: string, body: { action: BulkAction; installationIds: string[]; targetKeyId?: string }) =>
  api<{ results: ActionResult[] }>('POST', `${accountPath(accountId)}/installations/actions`, body);
