import { insertUser } from '../../src/data/repositories/users.js';
import type { Actor } from '../../src/domain/actor.js';
import { placeOrder, type PlaceOrderInput } from '../../src/services/vendor/place-order.js';
import { randomUUID } from 'node:crypto';
import { takeSeat } from '../../src/data/repositories/seats.js';
import { ACME, signedInUser, uniqueEmail, type TestApp } from './harness.js';
import type { OrderItem } from '../../src/domain/order.js';

/** A vendor operator to place orders with, made directly in the database. */
export async function operatorActor(t: TestApp): Promise<Actor> {
  const user = await insertUser(t.deps.db, {
    email: uniqueEmail('operator'),
    firstName: 'Vendor',
    lastName: 'Operator',
    passwordHash: 'not-used',
    isOperator: true,
    verifiedAt: t.clock.now(),
  });
  return { userId: user.id, email: user.email, isOperator: true, sessionId: null, ip: '127.0.0.1' };
}

/** Places a vendor order and returns the subscription with its primary key in clear. */
export async function issueOrder(t: TestApp, input: Partial<PlaceOrderInput> & { items?: OrderItem[] } = {}) {
  const issued = await placeOrder(t.deps, await operatorActor(t), {
    customerEmail: uniqueEmail('customer'),
    items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10 }],
    duration: '1y',
    channel: 'reseller',
    supportPlan: 'standard',
    autoRenew: false,
    ...input,
  });
  return { ...issued, key: issued.primaryKey.key_text };
}

/**
 * An active installation holding a seat of `key` in `itemId`, made directly in the database the
 * way an activation leaves it: for tests of the customer side that need seats in use.
 */
export async function seatedInstallation(t: TestApp, key: { id: string; kind: 'primary' | 'dynamic' | 'reserved' }, itemId: string, lastSeenAt: Date) {
  return t.deps.db.transaction().execute(async (trx) => {
    const taken = await takeSeat(trx, key, itemId);
    if (!taken.ok) throw new Error(`no seat: ${taken.limit}`);
    const k = await trx.selectFrom('license_keys').select(['account_id', 'subscription_id']).where('id', '=', key.id).executeTakeFirstOrThrow();
    const item = await trx.selectFrom('subscription_items').select(['product_code', 'license_type']).where('id', '=', itemId).executeTakeFirstOrThrow();
    return trx
      .insertInto('installations')
      .values({
        account_id: k.account_id,
        subscription_id: k.subscription_id,
        item_id: itemId,
        license_key_id: key.id,
        product_code: item.product_code,
        license_type: item.license_type,
        fingerprint: `fp-${randomUUID()}`,
        public_key: 'test',
        holds_seat: true,
        token_hash: randomUUID(),
        activated_at: lastSeenAt,
        last_seen_at: lastSeenAt,
        next_check_in_at: lastSeenAt,
      })
      .returning(['id', 'last_seen_at'])
      .executeTakeFirstOrThrow();
  });
}

/** A signed-in customer with a registered subscription in a business account of theirs. */
export async function customerWithSubscription(t: TestApp, order: Partial<PlaceOrderInput> = {}) {
  const customer = await signedInUser(t, 'customer');
  const issued = await issueOrder(t, order);
  const res = await customer.client.post('/api/v1/subscriptions/registrations', { licenseKey: issued.key, company: ACME });
  if (res.status !== 201) throw new Error(`registration failed: ${JSON.stringify(res.body)}`);
  return { ...customer, ...issued, accountId: res.body.subscription.accountId as string };
}
