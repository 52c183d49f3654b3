import { answer, api, type RequestBody, type Schemas } from './api';

// Configuration profiles (capability 9) as the API answers them, and the calls that change them.
export type ConfigurationProfile = Schemas['ConfigurationProfile'];
export type ProductPayloadTypes = Schemas['ProductPayloadTypes'];
export type PayloadType = ProductPayloadTypes['types'][number];
export type SettingDefinition = PayloadType['settings'][number];
export type Payload = Schemas['Payload'];
export type SettingValue = Payload['settings'][string];
type ProfileFields = RequestBody<'put', '/api/v1/accounts/{accountId}/configuration-profiles/{profileId}'>;

const account = (accountId: string) => ({ params: { path: { accountId } } });
const profile = (accountId: string, profileId: string) => ({ params: { path: { accountId, profileId } } });

export const listPayloadTypes = async (accountId: string) => (await answer(api.GET('/api/v1/accounts/{accountId}/payload-types', account(accountId)))).items;
export const listProfiles = async (accountId: string) => (await answer(api.GET('/api/v1/accounts/{accountId}/configuration-profiles', account(accountId)))).items;

export const getProfile = async (accountId: string, profileId: string) =>
  (await answer(api.GET('/api/v1/accounts/{accountId}/configuration-profiles/{profileId}', profile(accountId, profileId)))).profile;

export const createProfile = async (accountId: string, body: ProfileFields & { product: string }) =>
  (await answer(api.POST('/api/v1/accounts/{accountId}/configuration-profiles', { ...account(accountId), body }))).profile;

export const saveProfile = async (accountId: string, profileId: string, body: ProfileFields) =>
  (await answer(api.PUT('/api/v1/accounts/{accountId}/configuration-profiles/{profileId}', { ...profile(accountId, profileId), body }))).profile;

/** Deletes a profile; the keys that use it get `reassignTo` (a profile's id, or default) instead. */
export const deleteProfile = (accountId: string, profileId: string, reassignTo: string | undefined) =>
  answer(api.DELETE('/api/v1/accounts/{accountId}/configuration-profiles/{profileId}', { params: { path: { accountId, profileId }, query: { reassignTo } } }));

/** Gives a key a profile, or the built-in Default (null); the answer names the one it has now. */
export const assignKeyProfile = async (key: { accountId: string; subscriptionId: string; keyId: string }, profileId: string | null) =>
  (await answer(api.PUT('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}/configuration-profile', { params: { path: key }, body: { profileId } }))).profile;

export const profilesHref = '/configuration-profiles';
export const profileHref = (profileId: string) => `${profilesHref}/${encodeURIComponent(profileId)}`;
