import { countProfiles } from '../../data/repositories/editions.js';
import type { InTransaction } from '../../data/executor.js';

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
}

/**
 * The step of a conversion that carries over what the account configured during its trial of the
 * edition (the guide: "what you set up in the trial is saved and offered on your new license").
 * Configuration profiles and policies belong to the account and the product, not to the trial
 * subscription, so they carry over by themselves and are only counted here. What the trial ties
 * to its own subscription (user groups, bound to the trial's sublicenses) is moved onto the
 * converted subscription here, inside the conversion's transaction.
 */
export async function carryOverTrialConfiguration(trx: InTransaction, handOver: TrialHandOver): Promise<CarriedOver> {
  return { profiles: await countProfiles(trx, handOver.accountId, handOver.productCode) };
}
