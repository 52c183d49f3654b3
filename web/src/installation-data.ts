import { answer, api, type Query, type RequestBody, type Schemas } from './api';

// The account's installations (capability 7) as the API answers them: the id and the chosen columns.
export type InstallationRow = Schemas['InstallationRow'];
export type InstallationDetails = Schemas['InstallationDetails'];
export type InstallationState = InstallationDetails['general']['state'];
export type PendingAction = InstallationDetails['general']['pendingAction'];
export type Column = Exclude<keyof InstallationRow, 'id'>;

export type BulkAction = RequestBody<'post', '/api/v1/accounts/{accountId}/installations/actions'>['action'];
export type ActionResult = Schemas['InstallationActionResult'];

type ListFilters = Query<'get', '/api/v1/accounts/{accountId}/installations'>;
export type StateFilter = NonNullable<ListFilters['state']>;
export type ExpiryFilter = NonNullable<ListFilters['expiry']>;
export type SortKey = NonNullable<ListFilters['sort']>;

/** What the installations page asks for: its filters, order and shown columns. */
export interface ListQuery {
  keyId: string | null;
  /** A user group's id: the installations on its sublicense. */
  groupId: string | null;
  product: string | null;
  /** A configuration profile's id, or default. */
  profile: string | null;
  state: StateFilter;
  expiry: ExpiryFilter;
  q: string;
  sort: SortKey;
  order: 'asc' | 'desc';
  columns: Column[];
}

/** The query of the list and of its CSV: the same filters, order and columns, unset ones left out. */
export function listFilters(query: ListQuery): ListFilters {
  return {
    state: query.state,
    expiry: query.expiry,
    sort: query.sort,
    order: query.order,
    columns: query.columns.join(','),
    keyId: query.keyId ?? undefined,
    groupId: query.groupId ?? undefined,
    product: query.product ?? undefined,
    profile: query.profile ?? undefined,
    q: query.q.trim() || undefined,
  };
}

export const listInstallations = (accountId: string, query: ListQuery, cursor: string | null, limit: number) =>
  answer(api.GET('/api/v1/accounts/{accountId}/installations', { params: { path: { accountId }, query: { ...listFilters(query), limit, cursor: cursor ?? undefined } } }));

export const getInstallation = (accountId: string, installationId: string) =>
  answer(api.GET('/api/v1/accounts/{accountId}/installations/{installationId}', { params: { path: { accountId, installationId } } }));

export const actOnInstallations = (accountId: string, body: RequestBody<'post', '/api/v1/accounts/{accountId}/installations/actions'>) =>
  answer(api.POST('/api/v1/accounts/{accountId}/installations/actions', { params: { path: { accountId } }, body }));
