import { insertUser } from '../../src/data/repositories/users.js';
import type { OrderItem } from '../../src/data/schema.js';
import type { Actor } from '../../src/services/context.js';
import { placeOrder, type PlaceOrderInput } from '../../src/services/vendor/place-order.js';
import { uniqueEmail, type TestApp } from './harness.js';

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
