import { answer, api, type RequestBody, type Schemas } from './api';
import type { ProductPayloadTypes } from './profile-data';

// Policies and user groups (capability 10, Enterprise) as the API answers them, and the calls that change them.
export type Policy = Schemas['Policy'];
export type UserGroup = Schemas['UserGroup'];
type PolicyFields = RequestBody<'put', '/api/v1/accounts/{accountId}/policies/{policyId}'>;
type NewGroup = RequestBody<'post', '/api/v1/accounts/{accountId}/user-groups'>;
type GroupFields = RequestBody<'put', '/api/v1/accounts/{accountId}/user-groups/{groupId}'>;

// The catalog features (src/domain/configuration-policy.ts ManagementFeature) whose pages these are.
export const POLICIES_FEATURE = 'policies';
export const USER_GROUPS_FEATURE = 'user_groups';

/** The products (among those taking payloads) whose license includes the feature. */
export const productsWith = (products: readonly ProductPayloadTypes[], feature: string) => products.filter((p) => p.features.includes(feature));

const account = (accountId: string) => ({ params: { path: { accountId } } });
const policy = (accountId: string, policyId: string) => ({ params: { path: { accountId, policyId } } });
const group = (accountId: string, groupId: string) => ({ params: { path: { accountId, groupId } } });

export const listPolicies = async (accountId: string) => (await answer(api.GET('/api/v1/accounts/{accountId}/policies', account(accountId)))).items;
export const getPolicy = async (accountId: string, policyId: string) => (await answer(api.GET('/api/v1/accounts/{accountId}/policies/{policyId}', policy(accountId, policyId)))).policy;
export const createPolicy = async (accountId: string, body: PolicyFields & { product: string }) =>
  (await answer(api.POST('/api/v1/accounts/{accountId}/policies', { ...account(accountId), body }))).policy;
export const savePolicy = async (accountId: string, policyId: string, body: PolicyFields) =>
  (await answer(api.PUT('/api/v1/accounts/{accountId}/policies/{policyId}', { ...policy(accountId, policyId), body }))).policy;
export const deletePolicy = (accountId: string, policyId: string) => answer(api.DELETE('/api/v1/accounts/{accountId}/policies/{policyId}', policy(accountId, policyId)));

/** The account's user groups, or one subscription's. */
export const listUserGroups = async (accountId: string, subscriptionId?: string) =>
  (await answer(api.GET('/api/v1/accounts/{accountId}/user-groups', { params: { path: { accountId }, query: { subscriptionId } } }))).items;
export const createUserGroup = async (accountId: string, body: NewGroup) => (await answer(api.POST('/api/v1/accounts/{accountId}/user-groups', { ...account(accountId), body }))).group;
/** Saves a group; the answer says how many installations a lower quota deactivated. */
export const saveUserGroup = (accountId: string, groupId: string, body: GroupFields) => answer(api.PUT('/api/v1/accounts/{accountId}/user-groups/{groupId}', { ...group(accountId, groupId), body }));
export const deleteUserGroup = (accountId: string, groupId: string) => answer(api.DELETE('/api/v1/accounts/{accountId}/user-groups/{groupId}', group(accountId, groupId)));

export const policiesHref = '/policies';
export const policyHref = (policyId: string) => `${policiesHref}/${encodeURIComponent(policyId)}`;
export const userGroupsHref = (subscriptionId?: string | null) => `/user-groups${subscriptionId ? `?subscriptionId=${encodeURIComponent(subscriptionId)}` : ''}`;
