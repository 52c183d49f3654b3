import { answer, api, type Query, type Schemas } from './api';

// The account's virtual machines (capability 10) as the API answers them.
export type VirtualMachine = Schemas['VirtualMachine'];

type ListFilters = Query<'get', '/api/v1/accounts/{accountId}/virtual-machines'>;
export type VmSortKey = NonNullable<ListFilters['sort']>;
export type InstallationsFilter = NonNullable<ListFilters['installations']>;

/** What the Virtual Machines page asks for. */
export interface VmQuery {
  keyId: string | null;
  /** A user group: the VMs of the installations on its sublicense. */
  groupId: string | null;
  installationId: string | null;
  installations: InstallationsFilter;
  q: string;
  sort: VmSortKey;
  order: 'asc' | 'desc';
}

/** The query of the list and of its CSV: the same filters and order, unset ones left out. */
export function vmFilters(query: VmQuery): ListFilters {
  return {
    installations: query.installations,
    sort: query.sort,
    order: query.order,
    keyId: query.keyId ?? undefined,
    groupId: query.groupId ?? undefined,
    installationId: query.installationId ?? undefined,
    q: query.q.trim() || undefined,
  };
}

export const listVirtualMachines = (accountId: string, query: VmQuery, cursor: string | null, limit: number) =>
  answer(api.GET('/api/v1/accounts/{accountId}/virtual-machines', { params: { path: { accountId }, query: { ...vmFilters(query), limit, cursor: cursor ?? undefined } } }));
