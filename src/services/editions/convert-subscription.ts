import { insertPayloadSet } from '../../data/repositories/payload-sets.js';
import {
  convertInstallations,
  convertItem,
  findEditionTrial,
  listProfilesOfSubscriptionKeys,
  lockSubscriptionForConversion,
  moveProfile,
  profileNames,
  reassignSubscriptionKeys,
} from '../../data/repositories/editions.js';
import { listKeysOfSubscription, lockKeysForSeats, updateKey } from '../../data/repositories/license-keys.js';
import { listItems, updateSubscription } from '../../data/repositories/subscriptions.js';
import type { InTransaction } from '../../data/executor.js';
import type { Subscription, SubscriptionItem } from '../../data/schema.js';
import type { Actor } from '../../domain/actor.js';
import { convertedName, copiedProfileName, planConversion, type ItemConversion } from '../../domain/editions.js';
import { AppError, notFound } from '../../domain/errors.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { loadCatalog } from '../orders/common.js';
import { carryOverTrialConfiguration, type CarriedOver } from './carry-over-trial.js';
import { editionItems } from './edition-trial.js';
import { runTransaction } from '../../data/transactions.js';

export interface ProfilesCarried {
  /** Profiles that only this subscription's keys used: they now are of the new edition. */
  moved: string[];
  /** Profiles that other subscriptions' keys use too: this subscription's keys got a copy in the new edition. */
  copied: { from: string; to: string }[];
}

export interface Conversion {
  subscription: Subscription;
  items: SubscriptionItem[];
  lines: { itemId: string; from: string; to: string }[];
  /** The active installations that run as the new edition from their next check-in. */
  installations: number;
  profiles: ProfilesCarried;
  /** The account's trials of the new edition, suspended by the conversion, with what they carried over. */
  trials: { subscription: Subscription; carriedOver: CarriedOver }[];
}

/**
 * A profile is of one product, and an installation receives its key's profile only when it is of
 * the installation's product; the converted keys must go on delivering the same configuration. A
 * profile only this subscription's keys use simply becomes a profile of the new edition (same id,
 * version and hash, so nothing is re-sent). One that keys of other subscriptions (still the old
 * edition) use too stays theirs, and this subscription's keys get a copy in the new edition, with
 * the same payloads and version and a name that says its edition (names are unique per account).
 */
async function carryProfiles(trx: InTransaction, actor: Actor, accountId: string, subscriptionId: string, lines: readonly ItemConversion[], now: Date): Promise<ProfilesCarried> {
  const carried: ProfilesCarried = { moved: [], copied: [] };
  const taken = await profileNames(trx, accountId);
  for (const { from, to } of lines) {
    for (const profile of await listProfilesOfSubscriptionKeys(trx, accountId, subscriptionId, from.code)) {
      if (!profile.shared) {
        await moveProfile(trx, profile.id, to.code, now);
        carried.moved.push(profile.id);
        continue;
      }
      const name = copiedProfileName(profile.name, to.name, taken);
      taken.add(name.toLowerCase());
      const copy = await insertPayloadSet(trx, 'configuration_profiles', {
        accountId,
        productCode: to.code,
        name,
        payloads: profile.payloads,
        contentHash: profile.content_hash,
        version: profile.version,
        createdBy: actor.userId,
        now,
      });
      await reassignSubscriptionKeys(trx, subscriptionId, profile.id, copy, now);
      carried.copied.push({ from: profile.id, to: copy });
    }
  }
  return carried;
}

/**
 * The account's trial of each new edition is suspended (the guide: the trial card is suspended
 * when the Business card changes to Enterprise), after what it configured is carried over. A
 * trial made permanent since is a subscription of its own and stays as it is.
 */
async function closeTrials(trx: InTransaction, actor: Actor, accountId: string, converted: string, lines: readonly ItemConversion[], now: Date): Promise<Conversion['trials']> {
  const trials: Conversion['trials'] = [];
  for (const productCode of new Set(lines.map((l) => l.to.code))) {
    const found = await findEditionTrial(trx, accountId, productCode);
    if (!found || found.trial.channel !== 'trial') continue;
    const carriedOver = await carryOverTrialConfiguration(trx, actor, { accountId, productCode, trialSubscriptionId: found.trial.id, convertedSubscriptionId: converted }, now);
    let subscription = found.trial;
    if (subscription.status === 'active') {
      subscription = await updateSubscription(trx, subscription.id, { status: 'suspended' }, now);
      await recordChange(trx, actor, { accountId, action: 'subscription.suspended', targetType: 'subscription', targetId: subscription.id, details: { convertedSubscriptionId: converted } }, now);
    }
    trials.push({ subscription, carriedOver });
  }
  return trials;
}

/**
 * Converts a subscription to the edition its products upgrade to (the guide's recommended path,
 * Business → Enterprise), in one transaction: each such line's product becomes its upgrade (the
 * line keeps its id, seats and keys), its installations run as the new edition and stay activated
 * on the same keys (their next check-in carries the new certificate and its features), the keys
 * keep delivering their configuration profiles, the names of the subscription and its keys say
 * the new edition where they said the old one, and the account's trial of the edition is suspended. Whether the subscription is
 * running, expired or suspended it keeps: the conversion changes its edition, not its standing.
 *
 * The keys are locked first, as every seat change does (lockKeysForSeats): an activation on one
 * of them either committed before, and its installation is converted with the rest, or waits and
 * then reads the new edition. The subscription is locked FOR NO KEY UPDATE, which an activation's
 * new installation row (whose foreign key takes KEY SHARE on it) does not wait for. A sublicense
 * created after the keys were read is not locked: an activation on it within this transaction's
 * few milliseconds would keep the old edition. That window is left open rather than making every
 * activation re-read its product under the item's lock.
 */
export async function convertSubscription(deps: Deps, actor: Actor, subscriptionId: string): Promise<Conversion> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => {
    const keys = await lockKeysForSeats(trx, (await listKeysOfSubscription(trx, subscriptionId)).map((k) => k.id));
    const current = await lockSubscriptionForConversion(trx, subscriptionId);
    if (!current) throw notFound('Subscription');
    const plan = planConversion(editionItems(await listItems(trx, current.id)), await loadCatalog(trx));
    if (!plan.ok) throw new AppError(plan.code, plan.message);
    const now = deps.clock.now();
    let installations = 0;
    for (const line of plan.lines) {
      await convertItem(trx, line.itemId, line.from.code, line.to.code);
      installations += await convertInstallations(trx, current.id, line.itemId, line.to.code);
    }
    const accountId = current.account_id;
    const profiles = accountId ? await carryProfiles(trx, actor, accountId, current.id, plan.lines, now) : { moved: [], copied: [] };
    const subscription = await updateSubscription(trx, current.id, { name: convertedName(current.name, plan.lines) }, now);
    // The primary key is named after the subscription: it says the new edition too.
    for (const key of keys) {
      const name = convertedName(key.name, plan.lines);
      if (name !== key.name) await updateKey(trx, key.id, { name }, now);
    }
    const trials = accountId ? await closeTrials(trx, actor, accountId, current.id, plan.lines, now) : [];
    const lines = plan.lines.map((l) => ({ itemId: l.itemId, from: l.from.code, to: l.to.code }));
    await recordChange(
      trx,
      actor,
      {
        accountId,
        action: 'subscription.converted',
        targetType: 'subscription',
        targetId: current.id,
        details: { lines, installations, profiles, trials: trials.map((t) => ({ subscriptionId: t.subscription.id, carriedOver: t.carriedOver })) },
      },
      now,
    );
    return { subscription, items: await listItems(trx, current.id), lines, installations, profiles, trials };
  });
}
