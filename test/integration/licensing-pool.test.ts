import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activate, activationBody, addSublicense, asInstallation, counters, registeredOrder } from '../support/installations.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Activates `count` new machines with a key and returns the answers' statuses and tokens. */
async function activateMany(key: string, count: number, product = 'desktop-business') {
  const answers = [];
  for (let i = 0; i < count; i++) answers.push(await activate(t, activationBody(key, { product })));
  return answers;
}
const statuses = (answers: { status: number }[]) => answers.map((a) => a.status);
const status = async (token: string) => (await asInstallation(t, token).get('/licensing/v1/status')).body;

describe('one product with a primary, a dynamic and a reserved key (the guide example: 10 seats, dynamic 1, reserved 3)', () => {
  it('keeps reserved seats for their key, caps the dynamic key by its quota, and shares the rest', async () => {
    const order = await registeredOrder(t);
    const item = order.items[0]!;
    const dynamic = await addSublicense(t.deps.db, order, item.id, 'dynamic', 1);
    const reserved = await addSublicense(t.deps.db, order, item.id, 'reserved', 3);

    const [dyn, dynOver] = await activateMany(dynamic.key, 2);
    expect([dyn!.status, dynOver!.status, dynOver!.body.error.code]).toEqual([201, 409, 'quota_exhausted']);
    expect(statuses(await activateMany(reserved.key, 4))).toEqual([201, 201, 201, 409]);
    const primary = await activateMany(order.key, 7);
    expect(statuses(primary)).toEqual([201, 201, 201, 201, 201, 201, 409]);

    expect(await status(primary[0]!.body.installationToken)).toMatchObject({ total: 7, used: 6, remaining: 0 });
    expect(await status(dyn!.body.installationToken)).toMatchObject({ total: 1, used: 1, remaining: 0 });
    expect(await counters(t.deps.db, order.primaryKey.id, item.id)).toEqual({ used: 6, mainUsed: 7, reserved: 3, active: 6 });
    expect(await counters(t.deps.db, reserved.id, item.id)).toMatchObject({ used: 3, active: 3 });
    expect(await counters(t.deps.db, dynamic.id, item.id)).toMatchObject({ used: 1, active: 1 });

    // The dynamic key's seat goes back to the main pool, where the primary key can take it first.
    await asInstallation(t, dyn!.body.installationToken).post('/licensing/v1/deactivations');
    expect(statuses(await activateMany(order.key, 1))).toEqual([201]);
    const refused = await activate(t, activationBody(dynamic.key));
    expect(refused.body.error).toMatchObject({ code: 'quota_exhausted', details: { limit: 'main_pool' } });
    expect(await status(primary[0]!.body.installationToken)).toMatchObject({ total: 7, used: 7, remaining: 0 });
    expect(await counters(t.deps.db, order.primaryKey.id, item.id)).toEqual({ used: 7, mainUsed: 7, reserved: 3, active: 7 });
  });

  it('shows a reserved key its own free seats while the main pool is full', async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 4 }] });
    const reserved = await addSublicense(t.deps.db, order, order.items[0]!.id, 'reserved', 2);
    const primary = await activateMany(order.key, 3);
    expect(statuses(primary)).toEqual([201, 201, 409]);
    const [first] = await activateMany(reserved.key, 1);
    expect(await status(first!.body.installationToken)).toMatchObject({ total: 2, used: 1, remaining: 1 });
    expect(await status(primary[0]!.body.installationToken)).toMatchObject({ total: 2, used: 2, remaining: 0 });
  });
});

describe('a subscription of several products', () => {
  it('counts the primary key per product', async () => {
    const order = await registeredOrder(t, {
      items: [
        { productCode: 'desktop-business', licenseType: null, quantity: 2 },
        { productCode: 'desktop-enterprise', licenseType: null, quantity: 3 },
      ],
    });
    expect(statuses(await activateMany(order.key, 3))).toEqual([201, 201, 409]);
    const [enterprise] = await activateMany(order.key, 1, 'desktop-enterprise');
    expect(enterprise!.status).toBe(201);
    expect(await status(enterprise!.body.installationToken)).toMatchObject({ total: 3, used: 1, remaining: 2 });
    const byProduct = await t.deps.db.selectFrom('subscription_items').select(['product_code', 'main_used']).where('subscription_id', '=', order.subscription.id).orderBy('product_code').execute();
    expect(byProduct).toEqual([
      { product_code: 'desktop-business', main_used: 2 },
      { product_code: 'desktop-enterprise', main_used: 1 },
    ]);
  });
});
