import { randomUUID } from 'node:crypto';
import { findPersonalAccount } from '../../src/data/repositories/accounts.js';
import { insertUser } from '../../src/data/repositories/users.js';
import type { Actor } from '../../src/domain/actor.js';
import type { Deps } from '../../src/services/context.js';
import { registerKey } from '../../src/services/subscriptions/register-key.js';
import { signUp } from '../../src/services/users/sign-up.js';
import { placeOrder } from '../../src/services/vendor/place-order.js';

/** A vendor operator to place the benchmarks' orders. */
export async function benchOperator(deps: Deps): Promise<Actor> {
  const operator = await insertUser(deps.db, { email: `bench-op-${randomUUID()}@example.com`, firstName: 'B', lastName: 'O', passwordHash: '-', isOperator: true });
  return { userId: operator.id, email: operator.email, isOperator: true, sessionId: null, ip: null };
}

/**
 * A new customer with a 3-year subscription of ten million desktop seats registered in their
 * personal account (one customer each: registrations are rate-limited per user).
 */
export async function registeredSubscription(deps: Deps, operator: Actor) {
  const email = `bench-${randomUUID()}@example.com`;
  const { user } = await signUp(deps, { email, firstName: 'Bench', lastName: 'Customer', password: 'bench-password' }, { ip: null, userAgent: null });
  const account = (await findPersonalAccount(deps.db, user.id))!;
  const issued = await placeOrder(deps, operator, {
    customerEmail: email,
    items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10_000_000 }],
    duration: '3y',
    channel: 'reseller',
    supportPlan: 'standard',
    autoRenew: false,
  });
  const customer: Actor = { userId: user.id, email, isOperator: false, sessionId: null, ip: null };
  await registerKey(deps, customer, issued.primaryKey.key_text, { accountId: account.id });
  return { issued, account, customer };
}
