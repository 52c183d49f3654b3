import { makeSubscriptionPermanent } from '../../data/repositories/editions.js';
import type { OrderRow } from '../../data/repositories/orders.js';
import { listItems } from '../../data/repositories/subscriptions.js';
import type { Subscription, SubscriptionItem } from '../../data/schema.js';
import type { Actor } from '../../domain/actor.js';
import { permanentName } from '../../domain/editions.js';
import { AppError } from '../../domain/errors.js';
import { defaultSubscriptionName } from '../../domain/order.js';
import { durationAllowed, extendBy, type Duration, type SupportPlan } from '../../domain/subscription.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { loadCatalog, lockForChange, orderRefused, recordOrder } from '../orders/common.js';
import { runTransaction } from '../../data/transactions.js';

export interface PermanentTerms {
  /** Seats of the trial's product from now on. */
  quantity: number;
  duration: Duration;
  channel: 'online' | 'reseller';
  /** The trial's own plan when left out. */
  supportPlan?: SupportPlan | undefined;
}

/**
 * The guide's other path: the trial itself becomes a normal subscription, sold now on the
 * vendor's terms (channel, seats, a term from today, recorded as a new order), with the same
 * keys and installations. Whatever it was beside stays as it is; so does a suspension, which is
 * resumed on its own. A trial holds one product, whose line takes the seats.
 */
export async function makeTrialPermanent(deps: Deps, actor: Actor, subscriptionId: string, terms: PermanentTerms): Promise<{ subscription: Subscription; items: SubscriptionItem[]; order: OrderRow }> {
  requireOperator(actor);
  return runTransaction(deps.db, async (trx) => {
    const current = await lockForChange(trx, subscriptionId);
    if (current.channel !== 'trial') throw new AppError('not_a_trial', 'This subscription is not a trial: it is sold already; renew it or add licenses instead');
    if (!durationAllowed(terms.duration, terms.channel)) throw orderRefused({ field: 'duration', message: '1 month is sold only in online orders' });
    const [item] = await listItems(trx, current.id);
    const inUse = item!.reserved + item!.main_used;
    if (terms.quantity < inUse) {
      throw new AppError('validation_failed', `${inUse} seats of the trial are in use or reserved for keys; sell at least that many`, { field: 'quantity' });
    }
    const now = deps.clock.now();
    const expiresAt = extendBy(now, terms.duration);
    const line = { productCode: item!.product_code, licenseType: item!.license_type, quantity: terms.quantity };
    const name = permanentName(current.name, defaultSubscriptionName([line], await loadCatalog(trx), expiresAt));
    const made = await makeSubscriptionPermanent(trx, {
      id: current.id,
      itemId: item!.id,
      quantity: terms.quantity,
      channel: terms.channel,
      supportPlan: terms.supportPlan ?? current.support_plan,
      expiresAt,
      name,
      now,
    });
    const order = await recordOrder(trx, actor, {
      subscriptionId: current.id,
      accountId: current.account_id,
      kind: 'new',
      channel: terms.channel,
      duration: terms.duration,
      items: [line],
      previousExpiresAt: current.expires_at,
      newExpiresAt: expiresAt,
      at: now,
    });
    await recordChange(
      trx,
      actor,
      { accountId: current.account_id, action: 'trial.made_permanent', targetType: 'subscription', targetId: current.id, details: { order: order.number, ...terms } },
      now,
    );
    return { subscription: made.subscription, items: [made.item], order };
  });
}
