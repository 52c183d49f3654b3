import { trialName } from '../../domain/editions.js';
import { defaultSubscriptionName, trialTerms } from '../../domain/order.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { loadCatalog, orderRefused } from '../orders/common.js';
import { issueSubscription, type IssuedSubscription } from './issue-subscription.js';
import { runTransaction } from '../../data/transactions.js';

export interface IssueTrialInput {
  customerEmail: string;
  productCode: string;
  licenseType: string | null;
  /** Seats; the product's trialSeats when left out. */
  quantity?: number | undefined;
  /** Length in days; the product's trialDays when left out. */
  days?: number | undefined;
}

const DAY_MS = 86_400_000;

/** A trial license: a subscription on the trial channel for a few days, its primary key emailed. */
export async function issueTrial(deps: Deps, actor: Actor, input: IssueTrialInput): Promise<IssuedSubscription> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => {
    const catalog = await loadCatalog(trx);
    const product = catalog.get(input.productCode);
    if (!product) throw orderRefused({ field: 'productCode', message: `"${input.productCode}" is not in the catalog` });
    const terms = trialTerms(product, input);
    if (!terms.ok) throw orderRefused(terms.problem);
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + terms.days * DAY_MS);
    const issue = {
      kind: 'trial' as const,
      accountId: null,
      customerEmail: input.customerEmail,
      name: trialName(defaultSubscriptionName([terms.item], catalog, expiresAt)),
      items: [terms.item],
      channel: 'trial' as const,
      duration: null,
      supportPlan: 'standard' as const,
      autoRenew: false,
      expiresAt,
    };
    return issueSubscription(trx, deps, actor, issue, now);
  });
}
