import {
  findAccountProfile,
  listAccountProducts,
  listAccountProfiles,
  lockAccountProfile,
  reassignProfileKeys,
  setKeyProfile,
  type ProfileRecord,
} from '../../data/repositories/configuration-profiles.js';
import { lockKey } from '../../data/repositories/license-keys.js';
import { deletePayloadSet } from '../../data/repositories/payload-sets.js';
import { findItem, listItems } from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/executor.js';
import type { LicenseKey } from '../../data/schema.js';
import type { Actor } from '../../domain/actor.js';
import type { Product } from '../../domain/catalog.js';
import { DEFAULT_PROFILE } from '../../domain/configuration-profile.js';
import { AppError, invalidInput, notFound } from '../../domain/errors.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { runTransaction } from '../../data/transactions.js';
import { insertCheckedSet, updateCheckedSet, type PayloadSetInput, type PayloadSetKind } from './payload-sets.js';

/**
 * Configuration profiles (capability 9), account administrators only: License Administrators
 * manage keys and installations, never configuration. A key without a profile uses the built-in
 * Default.
 */

export type ProfileInput = PayloadSetInput;

const PROFILES: PayloadSetKind = {
  table: 'configuration_profiles',
  target: 'configuration_profile',
  nameTaken: (name) => new AppError('profile_name_taken', `A configuration profile named “${name}” exists already in this account`, { field: 'name' }),
};

/** The products the account's subscriptions hold that have payload types, with those types. */
export async function listPayloadTypes(deps: Deps, actor: Actor, accountId: string): Promise<Product[]> {
  await authorizeAccount(deps.db, actor, accountId, 'configuration.manage');
  return (await listAccountProducts(deps.db, accountId)).filter((p) => p.payloadTypes.length > 0);
}

export async function listProfiles(deps: Deps, actor: Actor, accountId: string): Promise<ProfileRecord[]> {
  await authorizeAccount(deps.db, actor, accountId, 'configuration.manage');
  return listAccountProfiles(deps.db, accountId);
}

async function profileOfAccount(db: Executor, accountId: string, profileId: string): Promise<ProfileRecord> {
  const profile = await findAccountProfile(db, accountId, profileId);
  if (!profile) throw notFound('Configuration profile');
  return profile;
}

export async function getProfile(deps: Deps, actor: Actor, accountId: string, profileId: string): Promise<ProfileRecord> {
  await authorizeAccount(deps.db, actor, accountId, 'configuration.manage');
  return profileOfAccount(deps.db, accountId, profileId);
}

export async function createProfile(deps: Deps, actor: Actor, accountId: string, input: ProfileInput & { product: string }): Promise<ProfileRecord> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const product = (await listAccountProducts(trx, accountId)).find((p) => p.code === input.product && p.payloadTypes.length > 0);
    if (!product) throw invalidInput([{ path: 'product', message: 'is not a product of this account’s subscriptions that takes configuration profiles' }]);
    const id = await insertCheckedSet(trx, actor, PROFILES, accountId, product, input, deps.clock.now());
    return profileOfAccount(trx, accountId, id);
  });
}

/** Saves a profile: a new version only when what it delivers changed, so a rename reaches no installation. */
export async function updateProfileOfAccount(deps: Deps, actor: Actor, accountId: string, profileId: string, input: ProfileInput): Promise<ProfileRecord> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const profile = await lockAccountProfile(trx, accountId, profileId);
    if (!profile) throw notFound('Configuration profile');
    await updateCheckedSet(trx, actor, PROFILES, profile, input, deps.clock.now());
    return profileOfAccount(trx, accountId, profileId);
  });
}

/**
 * Deletes a profile. Keys that use it must be given another first: `reassignTo` another profile of
 * the same product, or null for the built-in Default; undefined refuses while keys use it.
 */
export async function deleteProfileOfAccount(deps: Deps, actor: Actor, accountId: string, profileId: string, reassignTo: string | null | undefined): Promise<void> {
  await runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const profile = await lockAccountProfile(trx, accountId, profileId);
    if (!profile) throw notFound('Configuration profile');
    const keys = profile.keys.length;
    if (keys > 0 && reassignTo === undefined) {
      throw new AppError('profile_in_use', `${keys} license key${keys === 1 ? ' uses' : 's use'} this profile; choose the profile they get instead (reassignTo), or Default`, { keys });
    }
    if (reassignTo === profileId) throw invalidInput([{ path: 'querystring.reassignTo', message: 'must be another profile than the one deleted' }]);
    if (reassignTo) {
      const target = await lockAccountProfile(trx, accountId, reassignTo);
      if (!target) throw invalidInput([{ path: 'querystring.reassignTo', message: 'is not a configuration profile of this account' }]);
      if (target.product_code !== profile.product_code) throw new AppError('profile_product_mismatch', `“${target.name}” is a profile of another product than “${profile.name}”`, { field: 'reassignTo' });
    }
    const now = deps.clock.now();
    const moved = await reassignProfileKeys(trx, profileId, reassignTo ?? null, now);
    await deletePayloadSet(trx, 'configuration_profiles', profileId);
    const details = { name: profile.name, keysReassigned: moved, reassignedTo: reassignTo ?? (moved > 0 ? 'default' : null) };
    await recordChange(trx, actor, { accountId, action: 'configuration_profile.deleted', targetType: 'configuration_profile', targetId: profileId, details }, now);
  });
}

/** The products a key's installations can be of: its own product, or every product of its subscription for a primary key. */
async function productsOfKey(trx: Executor, key: LicenseKey): Promise<string[]> {
  if (key.item_id) {
    const item = await findItem(trx, key.item_id);
    return item ? [item.product_code] : [];
  }
  return (await listItems(trx, key.subscription_id)).map((i) => i.product_code);
}

/** Assigns a profile to a key, primary or additional (null: the built-in Default); its installations get it at their next check-in. */
export async function assignKeyProfile(
  deps: Deps,
  actor: Actor,
  accountId: string,
  subscriptionId: string,
  keyId: string,
  profileId: string | null,
): Promise<{ id: string | null; name: string }> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const key = await lockKey(trx, keyId);
    if (!key || key.account_id !== accountId || key.subscription_id !== subscriptionId) throw notFound('License key');
    let assigned: { id: string | null; name: string } = { id: null, name: DEFAULT_PROFILE.name };
    if (profileId !== null) {
      const profile = await findAccountProfile(trx, accountId, profileId);
      if (!profile) throw invalidInput([{ path: 'profileId', message: 'is not a configuration profile of this account' }]);
      if (!(await productsOfKey(trx, key)).includes(profile.product_code)) {
        throw new AppError('profile_product_mismatch', `“${profile.name}” is a profile of another product than this key licenses`, { field: 'profileId' });
      }
      assigned = { id: profile.id, name: profile.name };
    }
    const now = deps.clock.now();
    await setKeyProfile(trx, keyId, profileId, now);
    await recordChange(trx, actor, { accountId, action: 'license_key.profile_assigned', targetType: 'license_key', targetId: keyId, details: { profileId, profileName: assigned.name } }, now);
    return assigned;
  });
}
