import { countProfiles } from '../../data/repositories/editions.js';
import { setKeyProfile } from '../../data/repositories/configuration-profiles.js';
import { listItems } from '../../data/repositories/subscriptions.js';
import { listAccountGroups, moveGroup } from '../../data/repositories/user-groups.js';
import type { InTransaction } from '../../data/executor.js';
import type { Actor } from '../../domain/actor.js';
import { recordChange } from '../changes.js';
import { addSublicense } from '../sublicenses/manage-sublicenses.js';

/** An account's trial of an edition, and the subscription converted to that edition. */
export interface TrialHandOver {
  accountId: string;
  productCode: string;
  trialSubscriptionId: string;
  convertedSubscriptionId: string;
}

/** What the trial configured that the converted subscription takes over, as the audit entry records it. */
export interface CarriedOver {
  /** The account's configuration profiles of the edition: per account and product, they are the converted keys' to assign. */
  profiles: number;
  /** The trial's user groups, each now bound to a sublicense of its own in the converted subscription. */
  groups: number;
}

/**
 * The step of a conversion that carries over what the account configured during its trial of the
 * edition (the guide: "what you set up in the trial is saved and offered on your new license").
 * Configuration profiles and policies belong to the account and the product, not to the trial
 * subscription, so they carry over by themselves and are only counted here. A user group is bound
 * to a sublicense of the trial, which the conversion suspends: each group gets a sublicense of the
 * same name and profile in the converted subscription and moves onto it with its policy. The new
 * sublicense is dynamic, so it takes no seats from the keys already in use there, and its quota is
 * at most the converted product's seats (the trial's may have been sized for the trial).
 */
export async function carryOverTrialConfiguration(trx: InTransaction, actor: Actor, handOver: TrialHandOver, now: Date): Promise<CarriedOver> {
  const { accountId, productCode, trialSubscriptionId, convertedSubscriptionId } = handOver;
  const groups = (await listAccountGroups(trx, accountId, trialSubscriptionId)).filter((g) => g.product_code === productCode);
  const item = (await listItems(trx, convertedSubscriptionId)).find((i) => i.product_code === productCode);
  if (item) {
    for (const group of groups) {
      const { key } = await addSublicense(
        trx,
        actor,
        { accountId, subscriptionId: convertedSubscriptionId, itemId: item.id },
        { name: group.name, kind: 'dynamic', quota: Math.min(group.key_quota ?? item.quantity, item.quantity), expiresAt: null },
        now,
      );
      if (group.key_profile_id) await setKeyProfile(trx, key.id, group.key_profile_id, now);
      await moveGroup(trx, group.id, { subscriptionId: convertedSubscriptionId, keyId: key.id }, now);
      await recordChange(
        trx,
        actor,
        { accountId, action: 'user_group.updated', targetType: 'user_group', targetId: group.id, details: { carriedOverFrom: trialSubscriptionId, licenseKeyId: key.id } },
        now,
      );
    }
  }
  return { profiles: await countProfiles(trx, accountId, productCode), groups: item ? groups.length : 0 };
}
