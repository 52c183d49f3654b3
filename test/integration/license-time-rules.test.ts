import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewSubscription } from '../../src/services/vendor/renew-subscription.js';
import { addLicenses } from '../../src/services/vendor/add-licenses.js';
import { sendExpiryReminders } from '../../src/services/notifications/expiry-reminders.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation, claimsOf, registeredOrder } from '../support/installations.js';
import { issueOrder, operatorActor } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function activatedBound(productCode: string, quantity: number) {
  const order = await registeredOrder(t, { items: [{ productCode, licenseType: null, quantity }] });
  const res = await activate(t, activationBody(order.key, { product: productCode, name: `${productCode} server` }));
  expect(res.status).toBe(201);
  const installation = asInstallation(t, res.body.installationToken);
  const checkIn = async (peak: number) => {
    const answer = await installation.post('/licensing/v1/check-ins', { usage: { peak, current: peak, measuredAt: t.clock.now().toISOString() } });
    expect(answer.status).toBe(200);
    return {
      state: claimsOf(answer.body.certificate).lic.state as string,
      warnings: answer.body.warnings.map((w: { code: string }) => w.code) as string[],
      inMinutes: Math.round((Date.parse(answer.body.nextCheckInAt) - t.clock.now().getTime()) / MINUTE),
    };
  };
  return { order, checkIn };
}

/** The emails queued for an address, oldest first. */
async function mailTo(address: string) {
  return t.deps.db.selectFrom('outbox').select(['template', 'subject', 'text_body']).where('to_address', '=', address).orderBy('created_at').orderBy('id').execute();
}

/** The email of the account's (first) administrator, who gets its notices. */
async function adminEmail(accountId: string): Promise<string> {
  const admin = await t.deps.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.email')
    .where('memberships.account_id', '=', accountId)
    .where('memberships.role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return admin.email;
}

describe('a server farm over its limit', () => {
  it('re-validates every 20 minutes while over the limit, and daily within it', async () => {
    const { checkIn } = await activatedBound('ras', 50);
    expect(await checkIn(50)).toMatchObject({ state: 'active', inMinutes: 24 * 60 });
    expect(await checkIn(51)).toMatchObject({ state: 'grace', inMinutes: 20 });
    t.clock.advanceDays(8);
    expect(await checkIn(51)).toMatchObject({ state: 'over_limit', inMinutes: 20 });
    t.clock.advanceSeconds(20 * 60);
    expect(await checkIn(45)).toMatchObject({ state: 'active', inMinutes: 24 * 60 });
  });

  it('gets a new overuse grace after each purchase of more licenses, and only then', async () => {
    const { order, checkIn } = await activatedBound('ras', 50);
    expect(await checkIn(60)).toMatchObject({ state: 'grace', warnings: ['overuse_grace'] });
    t.clock.advanceDays(8);
    expect(await checkIn(60)).toMatchObject({ state: 'over_limit' });
    expect(await checkIn(40)).toMatchObject({ state: 'active' });
    expect(await checkIn(60)).toMatchObject({ state: 'over_limit' });

    await addLicenses(t.deps, await operatorActor(t), order.subscription.id, [{ productCode: 'ras', licenseType: null, quantity: 5 }]);
    // 55 seats now: 56 is over again, and the purchase brought a fresh 7 days.
    expect(await checkIn(56)).toMatchObject({ state: 'grace', warnings: ['overuse_grace'] });
    t.clock.advanceDays(6);
    expect(await checkIn(56)).toMatchObject({ state: 'grace' });
    t.clock.advanceDays(1);
    expect(await checkIn(56)).toMatchObject({ state: 'over_limit' });
  });
});

describe('license-limit warnings', () => {
  it('emails the administrators when a proxy goes over its limit, once per time it goes over', async () => {
    const { order, checkIn } = await activatedBound('mac-sccm', 100);
    const admin = await adminEmail(order.accountId);
    expect(await checkIn(90)).toMatchObject({ state: 'active', warnings: [] });
    expect(await mailTo(admin)).not.toContainEqual(expect.objectContaining({ template: 'usage_over_limit' }));

    expect(await checkIn(120)).toMatchObject({ state: 'active', warnings: ['over_limit'] });
    expect(await checkIn(130)).toMatchObject({ state: 'active', warnings: ['over_limit'] });
    let warnings = (await mailTo(admin)).filter((m) => m.template === 'usage_over_limit');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text_body).toContain('peak usage of 120 while its license has 100 seat(s)');
    expect(warnings[0]!.text_body).toContain('keeps running');

    expect(await checkIn(80)).toMatchObject({ warnings: [] });
    expect(await checkIn(101)).toMatchObject({ warnings: ['over_limit'] });
    warnings = (await mailTo(admin)).filter((m) => m.template === 'usage_over_limit');
    expect(warnings).toHaveLength(2);
  });

  it('tells the administrators when a farm starts its overuse grace', async () => {
    const { order, checkIn } = await activatedBound('ras', 10);
    const admin = await adminEmail(order.accountId);
    await checkIn(12);
    await checkIn(13);
    const warnings = (await mailTo(admin)).filter((m) => m.template === 'usage_over_limit');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text_body).toContain('7 day(s) of overuse grace');
  });
});

describe('expiry reminders', () => {
  const reminders = async (address: string) => (await mailTo(address)).filter((m) => m.template === 'subscription_expiring').map((m) => m.subject);

  it('go out 30, 7 and 1 day before expiry, each once, also when two processes run the job together', async () => {
    // An order nobody registered yet: its buyer hears of it.
    const order = await issueOrder(t, { duration: '1m', channel: 'online', autoRenew: false });
    const buyer = order.subscription.customer_email;
    const untilExpiry = () => order.subscription.expires_at.getTime() - t.clock.now().getTime();
    const moveTo = (msBefore: number) => t.clock.advanceSeconds((untilExpiry() - msBefore) / 1000);

    moveTo(31 * 24 * HOUR);
    await sendExpiryReminders(t.deps);
    expect(await reminders(buyer)).toEqual([]);

    moveTo(29.5 * 24 * HOUR);
    await Promise.all([sendExpiryReminders(t.deps), sendExpiryReminders(t.deps)]);
    await sendExpiryReminders(t.deps);
    expect(await reminders(buyer)).toEqual([`${order.subscription.name} expires in 30 day(s)`]);

    moveTo(6.5 * 24 * HOUR);
    await sendExpiryReminders(t.deps);
    moveTo(12 * HOUR);
    await sendExpiryReminders(t.deps);
    await sendExpiryReminders(t.deps);
    expect(await reminders(buyer)).toEqual([
      `${order.subscription.name} expires in 30 day(s)`,
      `${order.subscription.name} expires in 7 day(s)`,
      `${order.subscription.name} expires in 1 day(s)`,
    ]);
  });

  it('send only the nearest reminder when the first is missed, go to the administrators once registered, and start over after a renewal', async () => {
    const order = await registeredOrder(t, { duration: '1y' });
    const admin = await adminEmail(order.accountId);
    const before = order.subscription.expires_at.getTime() - t.clock.now().getTime();
    t.clock.advanceSeconds((before - 5 * 24 * HOUR) / 1000);
    await sendExpiryReminders(t.deps);
    expect(await reminders(admin)).toEqual([`${order.subscription.name} expires in 5 day(s)`]);
    const [mail] = (await mailTo(admin)).filter((m) => m.template === 'subscription_expiring');
    expect(mail!.text_body).toContain('Renew it to keep your installations licensed');

    const { subscription: renewed } = await renewSubscription(t.deps, await operatorActor(t), order.subscription.id, '1y');
    await sendExpiryReminders(t.deps);
    expect(await reminders(admin)).toHaveLength(1);
    t.clock.advanceSeconds((renewed.expires_at.getTime() - t.clock.now().getTime() - 6 * 24 * HOUR) / 1000);
    await sendExpiryReminders(t.deps);
    expect(await reminders(admin)).toEqual([`${order.subscription.name} expires in 5 day(s)`, `${order.subscription.name} expires in 6 day(s)`]);
  });
});
