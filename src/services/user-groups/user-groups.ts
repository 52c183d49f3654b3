import { lockKey } from '../../data/repositories/license-keys.js';
import { holdAccountPolicy } from '../../data/repositories/policies.js';
import { findProduct } from '../../data/repositories/products.js';
import { findSubscription, listItems } from '../../data/repositories/subscriptions.js';
import {
  deleteGroup,
  findAccountGroup,
  findGroupOfKey,
  insertGroup,
  isGroupNameConflict,
  isGroupNameTaken,
  listAccountGroups,
  updateGroup,
  type UserGroupRecord,
} from '../../data/repositories/user-groups.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import { runTransaction } from '../../data/transactions.js';
import type { LicenseKey, SubscriptionItem } from '../../data/schema.js';
import type { Actor } from '../../domain/actor.js';
import { hasFeature } from '../../domain/configuration-policy.js';
import { AppError, invalidInput, notFound } from '../../domain/errors.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import { featureNotIncluded } from '../configuration/policies.js';
import type { Deps } from '../context.js';
import { addSublicense, changeSublicense, type SublicenseInput } from '../sublicenses/manage-sublicenses.js';
import { savingUniqueName, type UniqueName } from '../unique-names.js';

/**
 * User groups (capability 10, Enterprise; the guide's "Dividing Users into Groups with
 * Sublicenses"), account administrators only. A group belongs to one subscription whose product
 * has the feature `user_groups` and is bound to its own sublicense there: a new one, made by the
 * sublicense rules (the same pool arithmetic and refusals as the License Keys table), or an
 * existing one not bound to another group. The group and its sublicense share a name and a quota.
 * Its installations run with the key's profile under the group's policy.
 *
 * Lock order: the sublicense's key first when it changes (as every seat change, license-keys.ts),
 * then the policy (held FOR KEY SHARE), then the group's row, so that a policy's deletion and a
 * group's change take turns instead of deadlocking.
 */

export interface NewUserGroup {
  subscriptionId: string;
  /** Left out when binding an existing sublicense: the group takes the key's name. */
  name?: string | undefined;
  /** A new sublicense's quota; with `keyId`, left out. */
  quota?: number | undefined;
  /** A new sublicense's kind: reserved (the default) fences its seats off the main pool; dynamic shares it. */
  kind?: SublicenseInput['kind'] | undefined;
  /** The product of a new sublicense, needed only when the subscription has several with user groups. */
  itemId?: string | undefined;
  /** An existing sublicense of the subscription to bind, instead of a new one. */
  keyId?: string | undefined;
  policyId?: string | null | undefined;
  directoryGroup?: string | null | undefined;
}

export interface UserGroupChanges {
  name: string;
  quota: number;
  policyId: string | null;
  /** Left out: kept. */
  directoryGroup?: string | null | undefined;
}

const nameTaken = (name: string) => new AppError('group_name_taken', `A user group named “${name}” exists already in this subscription`, { field: 'name' });

const uniqueGroupName = (trx: Executor, subscriptionId: string, name: string, exceptId: string | null): UniqueName => ({
  taken: () => isGroupNameTaken(trx, subscriptionId, name, exceptId),
  conflict: isGroupNameConflict,
  refusal: () => nameTaken(name),
});

async function groupOfAccount(db: Executor, accountId: string, groupId: string): Promise<UserGroupRecord> {
  const group = await findAccountGroup(db, accountId, groupId);
  if (!group) throw notFound('User group');
  return group;
}

export async function listUserGroups(deps: Deps, actor: Actor, accountId: string, subscriptionId: string | undefined): Promise<UserGroupRecord[]> {
  await authorizeAccount(deps.db, actor, accountId, 'configuration.manage');
  return listAccountGroups(deps.db, accountId, subscriptionId);
}

export async function getUserGroup(deps: Deps, actor: Actor, accountId: string, groupId: string): Promise<UserGroupRecord> {
  await authorizeAccount(deps.db, actor, accountId, 'configuration.manage');
  return groupOfAccount(deps.db, accountId, groupId);
}

/** The subscription's products whose license includes user groups; refused when it has none. */
async function groupItems(trx: Executor, accountId: string, subscriptionId: string): Promise<SubscriptionItem[]> {
  const subscription = await findSubscription(trx, subscriptionId);
  if (!subscription || subscription.account_id !== accountId) throw invalidInput([{ path: 'subscriptionId', message: 'is not a subscription of this account' }]);
  const eligible: SubscriptionItem[] = [];
  for (const item of await listItems(trx, subscriptionId)) {
    const product = await findProduct(trx, item.product_code);
    if (product && hasFeature(product, 'user_groups')) eligible.push(item);
  }
  if (eligible.length === 0) throw featureNotIncluded('User groups', 'subscriptionId');
  return eligible;
}

/** The policy a group of `productCode` is given, held until the change commits (see the lock order above). */
async function policyFor(trx: InTransaction, accountId: string, policyId: string, productCode: string): Promise<{ id: string; name: string }> {
  const policy = await holdAccountPolicy(trx, accountId, policyId);
  if (!policy) throw invalidInput([{ path: 'policyId', message: 'is not a policy of this account' }]);
  if (policy.product_code !== productCode) throw new AppError('policy_product_mismatch', `“${policy.name}” is a policy of another product than this group’s sublicense licenses`, { field: 'policyId' });
  return policy;
}

const keyInGroup = (group: string) => new AppError('key_in_group', `This sublicense is the sublicense of the user group “${group}” already`, { field: 'keyId' });

/** The sublicense a new group is bound to: an existing one, locked, that no group has, or the product and seats of a new one. */
type Sublicense = { item: SubscriptionItem; name: string } & ({ key: LicenseKey } | { key: null; quota: number; kind: SublicenseInput['kind'] });

async function sublicenseFor(trx: InTransaction, accountId: string, input: NewUserGroup, eligible: SubscriptionItem[]): Promise<Sublicense> {
  if (input.keyId !== undefined) {
    const extra = (['quota', 'kind', 'itemId'] as const).find((f) => input[f] !== undefined);
    if (extra) throw invalidInput([{ path: extra, message: 'goes with a new sublicense, not with keyId' }]);
    // Locked before its group is looked for, so that two groups racing for one key take turns and the second is refused.
    const key = await lockKey(trx, input.keyId);
    if (!key || key.account_id !== accountId || key.subscription_id !== input.subscriptionId || key.kind === 'primary') {
      throw invalidInput([{ path: 'keyId', message: 'is not a sublicense of this subscription' }]);
    }
    const item = eligible.find((i) => i.id === key.item_id);
    if (!item) throw featureNotIncluded('User groups', 'keyId');
    const bound = await findGroupOfKey(trx, key.id);
    if (bound) throw keyInGroup(bound.name);
    return { key, item, name: input.name ?? key.name };
  }
  const { name, quota } = input;
  if (name === undefined) throw invalidInput([{ path: 'name', message: 'is required for a new sublicense' }]);
  if (quota === undefined) throw invalidInput([{ path: 'quota', message: 'is required for a new sublicense (or name an existing one with keyId)' }]);
  const item = input.itemId === undefined && eligible.length === 1 ? eligible[0] : eligible.find((i) => i.id === input.itemId);
  if (!item) {
    throw invalidInput([{ path: 'itemId', message: input.itemId === undefined ? 'is required: the subscription has several products with user groups' : 'is not a product of this subscription with user groups' }]);
  }
  return { key: null, item, name, quota, kind: input.kind ?? 'reserved' };
}

/**
 * Creates a user group in a subscription with a product that includes user groups: with a new
 * sublicense of `quota` seats (refused as the License Keys table refuses one the pool cannot
 * give), or bound to an existing sublicense (`keyId`), which a name given renames.
 */
export async function createUserGroup(deps: Deps, actor: Actor, accountId: string, input: NewUserGroup): Promise<UserGroupRecord> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const now = deps.clock.now();
    const { subscriptionId } = input;
    const sublicense = await sublicenseFor(trx, accountId, input, await groupItems(trx, accountId, subscriptionId));
    const { name, item } = sublicense;
    const policy = input.policyId ? await policyFor(trx, accountId, input.policyId, item.product_code) : null;
    // The name is checked before a key is made or renamed for it.
    const { id, keyId } = await savingUniqueName(uniqueGroupName(trx, subscriptionId, name, null), async () => {
      const to = { accountId, subscriptionId, itemId: item.id };
      if (sublicense.key !== null && sublicense.key.name !== name) await changeSublicense(trx, actor, { accountId, subscriptionId, keyId: sublicense.key.id }, { name }, now);
      const key = sublicense.key ?? (await addSublicense(trx, actor, to, { name, kind: sublicense.kind, quota: sublicense.quota, expiresAt: null }, now)).key;
      const directoryGroup = input.directoryGroup ?? null;
      return { id: await insertGroup(trx, { accountId, subscriptionId, keyId: key.id, policyId: policy?.id ?? null, name, directoryGroup, createdBy: actor.userId, now }), keyId: key.id };
    });
    const details = { name, keyId, newSublicense: sublicense.key === null, policyId: policy?.id ?? null, directoryGroup: input.directoryGroup ?? null };
    await recordChange(trx, actor, { accountId, action: 'user_group.created', targetType: 'user_group', targetId: id, details }, now);
    return groupOfAccount(trx, accountId, id);
  });
}

/**
 * Saves a group: a new name renames its sublicense, a new quota is the sublicense's new quota (a
 * lower one than its use deactivates its least recently seen installations, as for any
 * sublicense), and its policy is given or taken away (null). Its installations get the new
 * configuration at their next check-in.
 */
export async function updateUserGroup(deps: Deps, actor: Actor, accountId: string, groupId: string, input: UserGroupChanges): Promise<{ group: UserGroupRecord; deactivated: number }> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const now = deps.clock.now();
    // A group's sublicense never changes, so it is read before its key is locked.
    const group = await groupOfAccount(trx, accountId, groupId);
    const keyChanges = { ...(input.name !== group.name ? { name: input.name } : {}), ...(input.quota !== group.key_quota ? { quota: input.quota } : {}) };
    const target = { accountId, subscriptionId: group.subscription_id, keyId: group.key_id };
    // The sublicense's change renames this group with it (changeSublicense).
    const deactivated = Object.keys(keyChanges).length > 0 ? (await changeSublicense(trx, actor, target, keyChanges, now)).deactivated : 0;
    const policyChanged = input.policyId !== group.policy_id;
    if (policyChanged && input.policyId !== null) await policyFor(trx, accountId, input.policyId, group.product_code);
    const directoryChanged = input.directoryGroup !== undefined && input.directoryGroup !== group.directory_group;
    if (policyChanged || directoryChanged) {
      await updateGroup(trx, groupId, { ...(policyChanged ? { policy_id: input.policyId } : {}), ...(directoryChanged ? { directory_group: input.directoryGroup ?? null } : {}) }, now);
    }
    const details = {
      name: input.name,
      ...(keyChanges.name !== undefined ? { renamedFrom: group.name } : {}),
      ...(keyChanges.quota !== undefined ? { quota: input.quota, deactivated } : {}),
      ...(policyChanged ? { policyId: input.policyId } : {}),
      ...(directoryChanged ? { directoryGroup: input.directoryGroup } : {}),
    };
    await recordChange(trx, actor, { accountId, action: 'user_group.updated', targetType: 'user_group', targetId: groupId, details }, now);
    return { group: await groupOfAccount(trx, accountId, groupId), deactivated };
  });
}

/** Deletes a group: its sublicense stays, with its installations, its seats and its profile; only the group's policy no longer applies to them. */
export async function deleteUserGroup(deps: Deps, actor: Actor, accountId: string, groupId: string): Promise<void> {
  await runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const group = await groupOfAccount(trx, accountId, groupId);
    const now = deps.clock.now();
    await deleteGroup(trx, groupId);
    await recordChange(trx, actor, { accountId, action: 'user_group.deleted', targetType: 'user_group', targetId: groupId, details: { name: group.name, keyId: group.key_id } }, now);
  });
}
