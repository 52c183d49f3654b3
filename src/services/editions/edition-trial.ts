import { hasEditionTrial, insertEditionTrial } from '../../data/repositories/editions.js';
import { findSubscription, listItems } from '../../data/repositories/subscriptions.js';
import type { InTransaction } from '../../data/executor.js';
import type { Subscription, SubscriptionItem } from '../../data/schema.js';
import type { Actor } from '../../domain/actor.js';
import type { Product } from '../../domain/catalog.js';
import { addDays } from '../../domain/clock.js';
import { trialEdition, trialName, type EditionItem } from '../../domain/editions.js';
import { AppError, notFound } from '../../domain/errors.js';
import { defaultSubscriptionName, trialTerms } from '../../domain/order.js';
import { authorizeLicensing } from '../../policies/license-policy.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Deps } from '../context.js';
import { loadCatalog, orderRefused } from '../orders/common.js';
import { issueSubscription, type IssuedSubscription } from '../vendor/issue-subscription.js';
import { runTransaction } from '../../data/transactions.js';

/** A subscription's lines as the edition rules read them. */
export const editionItems = (items: readonly SubscriptionItem[]): EditionItem[] =>
  items.map((i) => ({ id: i.id, productCode: i.product_code, licenseType: i.license_type, convertedFrom: i.converted_from }));

const trialUsed = (product: Product) => new AppError('edition_trial_used', `This account has had its trial of ${product.name} already: a trial is given once per account`);

/**
 * A trial of the upgrade edition beside a subscription (the Enterprise guide's "How to Trial
 * Enterprise Edition with Existing Business Edition"): a subscription of its own on the trial
 * channel, in the same account at once, with its own primary key and the trial days and seats
 * of the catalog. The subscription beside it stays as it is. Once per account and product: the
 * edition_trials row decides it, so two requests at once get one trial and one refusal.
 */
async function startEditionTrial(trx: InTransaction, deps: Deps, actor: Actor, beside: Subscription, product: string | undefined): Promise<IssuedSubscription> {
  const accountId = beside.account_id;
  if (accountId === null) {
    throw new AppError('key_not_registered', 'This subscription is not registered in an account yet: a trial beside it belongs to that account');
  }
  const catalog = await loadCatalog(trx);
  const items = await listItems(trx, beside.id);
  const edition = trialEdition(editionItems(items), catalog, product);
  if (!edition.ok) throw new AppError(edition.code, edition.message, edition.field ? { field: edition.field } : {});
  const { to } = edition.line;
  if (await hasEditionTrial(trx, accountId, to.code)) throw trialUsed(to);
  const terms = trialTerms(to, { licenseType: items.find((i) => i.id === edition.line.itemId)!.license_type });
  if (!terms.ok) throw orderRefused(terms.problem);
  const now = deps.clock.now();
  const expiresAt = addDays(now, terms.days);
  const issued = await issueSubscription(
    trx,
    deps,
    actor,
    {
      kind: 'edition_trial',
      accountId,
      customerEmail: beside.customer_email,
      name: trialName(defaultSubscriptionName([terms.item], catalog, expiresAt)),
      items: [terms.item],
      channel: 'trial',
      duration: null,
      supportPlan: beside.support_plan,
      autoRenew: false,
      expiresAt,
      details: { product: to.code, besideSubscriptionId: beside.id },
    },
    now,
  );
  const recorded = await insertEditionTrial(trx, { accountId, productCode: to.code, subscriptionId: issued.subscription.id, besideSubscriptionId: beside.id, now });
  if (!recorded) throw trialUsed(to);
  return issued;
}

/** The vendor starts the trial for the account a subscription is registered in. */
export async function startEditionTrialAsVendor(deps: Deps, actor: Actor, subscriptionId: string, product?: string): Promise<IssuedSubscription> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => {
    const beside = await findSubscription(trx, subscriptionId);
    if (!beside) throw notFound('Subscription');
    return startEditionTrial(trx, deps, actor, beside, product);
  });
}

/** An account administrator starts the trial from the subscription's page ("Try Enterprise"). */
export async function startEditionTrialInAccount(deps: Deps, actor: Actor, accountId: string, subscriptionId: string, product?: string): Promise<IssuedSubscription> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeLicensing(trx, actor, accountId, 'subscriptions.manage');
    const beside = await findSubscription(trx, subscriptionId);
    if (!beside || beside.account_id !== accountId) throw notFound('Subscription');
    return startEditionTrial(trx, deps, actor, beside, product);
  });
}
