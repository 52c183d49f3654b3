import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activate, activationBody, addSublicense, asInstallation, claimsOf, counters, machine, registeredOrder } from '../support/installations.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A registered order with one activated installation, and a client that calls as it. */
async function activated(items?: { productCode: string; licenseType: string | null; quantity: number }[], extra: Record<string, unknown> = {}) {
  const order = await registeredOrder(t, items ? { items } : {});
  const product = items?.[0]?.productCode ?? 'desktop-business';
  const res = await activate(t, activationBody(order.key, { product, ...extra }));
  expect(res.status).toBe(201);
  return { order, activation: res.body, installation: asInstallation(t, res.body.installationToken) };
}

const farm = [{ productCode: 'ras', licenseType: null, quantity: 50 }];
const usage = (peak: number, current = peak) => ({ usage: { peak, current, measuredAt: t.clock.now().toISOString() } });

describe('status', () => {
  it("shows the key's seats, the expiry and the state", async () => {
    const { order, installation } = await activated();
    const res = await installation.get('/licensing/v1/status');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 10, used: 1, remaining: 9, licenseExpiresAt: order.subscription.expires_at.toISOString(), state: 'active', warnings: [] });
  });

  it('warns when the license expires within 30 days', async () => {
    const { order, installation } = await activated();
    await t.deps.db.updateTable('subscriptions').set({ expires_at: new Date(t.clock.now().getTime() + 10 * DAY) }).where('id', '=', order.subscription.id).execute();
    expect((await installation.get('/licensing/v1/status')).body.warnings).toEqual([{ code: 'license_expiring', message: 'The license expires in 10 day(s)', daysLeft: 10 }]);
  });
});

describe('a check-in', () => {
  it('answers with a fresh certificate, the next check-in, no action and no profile when the current one is applied, and records the visit', async () => {
    const { activation, installation } = await activated(undefined, { siteCode: 'HQ', serverId: 'a' });
    t.clock.advanceDays(3);
    const res = await installation.post('/licensing/v1/check-ins', { appVersion: '21.0', serverId: 'b', virtualMachines: [{ name: 'vm1' }], profileHash: activation.profile.hash });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: 'none', warnings: [], profile: null });
    expect(res.body.certificate).not.toBe(activation.certificate);
    expect(claimsOf(res.body.certificate).iat).toBe(Math.floor(t.clock.now().getTime() / 1000));
    const row = await t.deps.db.selectFrom('installations').selectAll().where('id', '=', activation.installationId).executeTakeFirstOrThrow();
    expect(row.last_seen_at.getTime()).toBe(t.clock.now().getTime());
    expect(row.next_check_in_at.toISOString()).toBe(res.body.nextCheckInAt);
    expect(row).toMatchObject({ app_version: '21.0', site: { siteCode: 'HQ', serverId: 'b' } });
  });

  it('records every one of many check-ins arriving at once, including two of the same farm', async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'ras', licenseType: null, quantity: 50 }, { productCode: 'desktop-business', licenseType: null, quantity: 30 }] });
    const desktops = await Promise.all(
      Array.from({ length: 20 }, async (_, n) => {
        const res = await activate(t, activationBody(order.key, { name: `desk-${n}` }));
        expect(res.status).toBe(201);
        return { id: res.body.installationId as string, client: asInstallation(t, res.body.installationToken) };
      }),
    );
    const farmActivation = await activate(t, activationBody(order.key, { product: 'ras' }));
    expect(farmActivation.status, JSON.stringify(farmActivation.body)).toBe(201);
    const farm = asInstallation(t, farmActivation.body.installationToken);
    t.clock.advanceDays(1);
    const answers = await Promise.all([
      ...desktops.map((d, n) => d.client.post('/licensing/v1/check-ins', { appVersion: `v${n}` })),
      farm.post('/licensing/v1/check-ins', usage(30)),
      farm.post('/licensing/v1/check-ins', usage(31)),
    ]);
    expect(answers.map((a) => [a.status, a.body.error?.code])).toEqual(answers.map(() => [200, undefined]));
    const rows = await t.deps.db.selectFrom('installations').select(['id', 'app_version', 'last_seen_at']).where('id', 'in', desktops.map((d) => d.id)).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    desktops.forEach((d, n) => expect(byId.get(d.id)).toMatchObject({ app_version: `v${n}`, last_seen_at: t.clock.now() }));
    const reports = await t.deps.db.selectFrom('installation_usage').select('peak').where('installation_id', '=', farmActivation.body.installationId).execute();
    expect(reports.map((r) => r.peak).sort()).toEqual([30, 31]);
  });

  it('schedules desktops at random between half and all of 7 days, and farms every 24 hours', async () => {
    const { installation } = await activated();
    const offsets: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await installation.post('/licensing/v1/check-ins', {});
      offsets.push(new Date(res.body.nextCheckInAt).getTime() - t.clock.now().getTime());
    }
    for (const offset of offsets) {
      expect(offset).toBeGreaterThanOrEqual(84 * HOUR);
      expect(offset).toBeLessThanOrEqual(168 * HOUR);
    }
    expect(new Set(offsets).size).toBeGreaterThan(1);
    const server = await activated(farm);
    const res = await server.installation.post('/licensing/v1/check-ins', {});
    expect(new Date(res.body.nextCheckInAt).getTime() - t.clock.now().getTime()).toBe(24 * HOUR);
  });

  it('keeps an expired desktop license working until its next check-in, which says it has expired', async () => {
    const { order, activation, installation } = await activated();
    await t.deps.db.updateTable('subscriptions').set({ expires_at: new Date(t.clock.now().getTime() + DAY) }).where('id', '=', order.subscription.id).execute();
    expect(claimsOf(activation.certificate).lic.state).toBe('active');
    t.clock.advanceDays(2);
    const res = await installation.post('/licensing/v1/check-ins', {});
    expect(res.status).toBe(200);
    expect(claimsOf(res.body.certificate).lic.state).toBe('expired');
    expect(res.body.warnings).toEqual([{ code: 'license_expired', message: 'The license has expired' }]);
    expect((await installation.get('/licensing/v1/status')).body.state).toBe('expired');
  });

  it('tells a suspended subscription', async () => {
    const { order, installation } = await activated();
    await t.deps.db.updateTable('subscriptions').set({ status: 'suspended' }).where('id', '=', order.subscription.id).execute();
    const res = await installation.post('/licensing/v1/check-ins', {});
    expect(claimsOf(res.body.certificate).lic.state).toBe('expired');
    expect(res.body.warnings.map((w: { code: string }) => w.code)).toEqual(['subscription_suspended']);
  });
});

describe('usage reports of a server farm', () => {
  it('allows 7 days over the quota once, then stops the farm while over the limit and runs it again within it', async () => {
    const { activation, installation } = await activated(farm);
    const checkIn = async (peak: number) => {
      const res = await installation.post('/licensing/v1/check-ins', usage(peak));
      return { state: claimsOf(res.body.certificate).lic.state, warnings: res.body.warnings.map((w: { code: string; daysLeft?: number }) => [w.code, w.daysLeft]) };
    };
    expect(await checkIn(40)).toEqual({ state: 'active', warnings: [] });
    expect(await checkIn(60)).toEqual({ state: 'grace', warnings: [['overuse_grace', 7]] });
    t.clock.advanceDays(3);
    expect(await checkIn(55)).toEqual({ state: 'grace', warnings: [['overuse_grace', 4]] });
    t.clock.advanceDays(5);
    expect(await checkIn(60)).toEqual({ state: 'over_limit', warnings: [['over_limit', undefined]] });
    expect(await checkIn(50)).toEqual({ state: 'active', warnings: [] });
    // The grace was given once.
    expect(await checkIn(51)).toEqual({ state: 'over_limit', warnings: [['over_limit', undefined]] });
    const status = await installation.get('/licensing/v1/status');
    expect(status.body).toMatchObject({ total: 50, used: 51, remaining: 0, state: 'over_limit' });
    const reports = await t.deps.db.selectFrom('installation_usage').select('peak').where('installation_id', '=', activation.installationId).orderBy('id').execute();
    expect(reports.map((r) => r.peak)).toEqual([40, 60, 55, 60, 50, 51]);
  });

  it('only warns a proxy over its limit', async () => {
    const { installation } = await activated([{ productCode: 'mac-sccm', licenseType: null, quantity: 100 }]);
    const res = await installation.post('/licensing/v1/check-ins', usage(120, 110));
    expect(claimsOf(res.body.certificate).lic.state).toBe('active');
    expect(res.body.warnings).toEqual([{ code: 'over_limit', message: 'Usage of 120 is over the 100 licensed seat(s)' }]);
    expect((await installation.get('/licensing/v1/status')).body).toMatchObject({ total: 100, used: 110, remaining: 0 });
  });
});

describe('the usage report schedule', () => {
  const proxy = [{ productCode: 'mac-sccm', licenseType: null, quantity: 100 }];
  const after = (days: number) => new Date(t.clock.now().getTime() + days * DAY).toISOString();

  it('asks a proxy for a report at once, then weekly from the last one, while it refreshes every 24 hours', async () => {
    const { activation, installation } = await activated(proxy);
    const first = await installation.post('/licensing/v1/check-ins', {});
    expect(first.body).toMatchObject({ nextCheckInAt: after(1), nextUsageReportAt: t.clock.now().toISOString() });

    const reported = await installation.post('/licensing/v1/check-ins', usage(40));
    expect(reported.body).toMatchObject({ nextCheckInAt: after(1), nextUsageReportAt: after(7) });
    const due = after(7);
    t.clock.advanceDays(1);
    const refresh = await installation.post('/licensing/v1/check-ins', {});
    expect(refresh.body).toMatchObject({ nextCheckInAt: after(1), nextUsageReportAt: due });
    const row = await t.deps.db.selectFrom('installations').select(['usage_reported_at', 'usage_peak']).where('id', '=', activation.installationId).executeTakeFirstOrThrow();
    expect(row).toEqual({ usage_reported_at: new Date(Date.parse(due) - 7 * DAY), usage_peak: 40 });
  });

  it('keeps a report sent before it is due, beside the others of its date, and runs the schedule from it', async () => {
    const { activation, installation } = await activated(proxy);
    await installation.post('/licensing/v1/check-ins', usage(40, 30));
    t.clock.advanceSeconds(3600);
    const early = await installation.post('/licensing/v1/check-ins', usage(35, 33));
    expect(early.status).toBe(200);
    expect(early.body.nextUsageReportAt).toBe(after(7));
    const reports = await t.deps.db.selectFrom('installation_usage').select(['peak', 'current']).where('installation_id', '=', activation.installationId).orderBy('id').execute();
    expect(reports).toEqual([{ peak: 40, current: 30 }, { peak: 35, current: 33 }]);
  });

  it("asks a farm for a report daily, and at every 20-minute validation while it is over the limit", async () => {
    const { installation } = await activated(farm);
    expect((await installation.post('/licensing/v1/check-ins', usage(40))).body).toMatchObject({ nextCheckInAt: after(1), nextUsageReportAt: after(1) });
    const over = await installation.post('/licensing/v1/check-ins', usage(60));
    const validation = new Date(t.clock.now().getTime() + 20 * 60_000).toISOString();
    expect(over.body).toMatchObject({ nextCheckInAt: validation, nextUsageReportAt: validation });
  });

  it('says a desktop takes no usage reports, and an installation deactivated at its check-in owes none', async () => {
    expect((await (await activated()).installation.post('/licensing/v1/check-ins', {})).body.nextUsageReportAt).toBeNull();
    const { activation, installation } = await activated(proxy);
    await t.deps.db.updateTable('installations').set({ pending_action: 'deactivate' }).where('id', '=', activation.installationId).execute();
    expect((await installation.post('/licensing/v1/check-ins', usage(10))).body).toMatchObject({ action: 'deactivate', nextUsageReportAt: null });
  });
});

describe('the installation token', () => {
  it('answers 401 to a missing or unknown token', async () => {
    const missing = await t.client().post('/licensing/v1/check-ins', {});
    expect([missing.status, missing.body.error.code]).toEqual([401, 'unauthenticated']);
    const unknown = await asInstallation(t, 'kli_not-a-token').get('/licensing/v1/status');
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'token_invalid']);
  });

  it('is not a user API token, and a user API token is not an installation token', async () => {
    const res = await asInstallation(t, 'kt_something').post('/licensing/v1/deactivations');
    expect(res.body.error.code).toBe('token_invalid');
  });

  it('stops working after a deactivation, which frees the seat at once', async () => {
    const { order, activation, installation } = await activated();
    const res = await installation.post('/licensing/v1/deactivations');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ installationId: activation.installationId, state: 'deactivated' });
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 0, mainUsed: 0, active: 0 });
    for (const call of [installation.get('/licensing/v1/status'), installation.post('/licensing/v1/check-ins', {}), installation.post('/licensing/v1/deactivations')]) {
      const refused = await call;
      expect([refused.status, refused.body.error.code]).toEqual([403, 'installation_deactivated']);
    }
  });

  it('stops working for a machine blacklisted on its key', async () => {
    const { order, installation } = await activated();
    const row = await t.deps.db.selectFrom('installations').select('fingerprint').where('license_key_id', '=', order.primaryKey.id).executeTakeFirstOrThrow();
    await t.deps.db.insertInto('blacklisted_machines').values({ license_key_id: order.primaryKey.id, fingerprint: row.fingerprint, account_id: order.accountId }).execute();
    expect((await installation.post('/licensing/v1/check-ins', {})).body.error.code).toBe('installation_blacklisted');
  });
});

describe('actions left pending by the portal', () => {
  it('deactivates at the next check-in and frees the seat then', async () => {
    const { order, activation, installation } = await activated();
    await t.deps.db.updateTable('installations').set({ pending_action: 'deactivate' }).where('id', '=', activation.installationId).execute();
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 1, active: 1 });
    const res = await installation.post('/licensing/v1/check-ins', {});
    expect(res.body).toMatchObject({ action: 'deactivate', warnings: [] });
    const claims = claimsOf(res.body.certificate);
    expect(claims.lic.state).toBe('deactivated');
    expect(claims.exp).toBeLessThanOrEqual(Math.floor(t.clock.now().getTime() / 1000));
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 0, mainUsed: 0, active: 0 });
    expect((await installation.post('/licensing/v1/check-ins', {})).body.error.code).toBe('installation_deactivated');
  });

  it('moves to another key at the next check-in, seat and all, and says reactivate', async () => {
    const { order, activation, installation } = await activated();
    const item = order.items[0]!;
    const target = await addSublicense(t.deps.db, order, item.id, 'reserved', 1);
    await t.deps.db.updateTable('installations').set({ pending_action: 'move', pending_key_id: target.id }).where('id', '=', activation.installationId).execute();
    const res = await installation.post('/licensing/v1/check-ins', {});
    expect(res.body.action).toBe('reactivate');
    expect(claimsOf(res.body.certificate).lic.keyId).toBe(target.id);
    expect(await counters(t.deps.db, order.primaryKey.id, item.id)).toMatchObject({ used: 0, mainUsed: 0, active: 0 });
    expect(await counters(t.deps.db, target.id, item.id)).toMatchObject({ used: 1, mainUsed: 0, active: 1, reserved: 1 });
    expect((await installation.get('/licensing/v1/status')).body).toMatchObject({ total: 1, used: 1, remaining: 0 });

    // A second move to a key with no room waits, and says so.
    const other = await activate(t, activationBody(order.key));
    await t.deps.db.updateTable('installations').set({ pending_action: 'move', pending_key_id: target.id }).where('id', '=', other.body.installationId).execute();
    const waiting = await asInstallation(t, other.body.installationToken).post('/licensing/v1/check-ins', {});
    expect(waiting.body.action).toBe('none');
    expect(waiting.body.warnings).toEqual([{ code: 'move_pending', message: 'The move to another license key is waiting: quota_exhausted' }]);
    expect(claimsOf(waiting.body.certificate).lic.keyId).toBe(order.primaryKey.id);
  });
});

describe('trials', () => {
  it('licenses a machine with no key for the trial days and seats, once per product', async () => {
    const me = machine();
    const res = await t.client().post('/licensing/v1/trials', { product: 'desktop-enterprise', ...me, name: 'Trial box' });
    expect(res.status).toBe(201);
    const { lic, aud } = claimsOf(res.body.certificate);
    expect(aud).toBe('desktop-enterprise');
    expect(lic).toMatchObject({ keyId: null, subscriptionId: null, seats: 1, state: 'active' });
    expect(new Date(lic.licenseExpiresAt).getTime()).toBe(t.clock.now().getTime() + 30 * DAY);
    const again = await t.client().post('/licensing/v1/trials', { product: 'desktop-enterprise', ...machine(), fingerprint: me.fingerprint });
    expect([again.status, again.body.error.code]).toEqual([409, 'trial_used']);
    expect((await t.client().post('/licensing/v1/trials', { product: 'ras', ...me })).status).toBe(201);
    const unknown = await t.client().post('/licensing/v1/trials', { product: 'nothing', ...machine() });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
  });

  it('limits how many trials one address may start in a day, since fingerprints cost nothing', async () => {
    const lab = t.client('198.51.100.9');
    for (let i = 0; i < 20; i++) expect((await lab.post('/licensing/v1/trials', { product: 'desktop-business', ...machine() })).status).toBe(201);
    const refused = await lab.post('/licensing/v1/trials', { product: 'desktop-business', ...machine() });
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited']);
    expect((await t.client('198.51.100.10').post('/licensing/v1/trials', { product: 'desktop-business', ...machine() })).status).toBe(201);
    t.clock.advanceDays(1);
    expect((await lab.post('/licensing/v1/trials', { product: 'desktop-business', ...machine() })).status).toBe(201);
  });

  it('checks in like any installation and is told when the trial has ended', async () => {
    const res = await t.client().post('/licensing/v1/trials', { product: 'desktop-business', ...machine() });
    const trial = asInstallation(t, res.body.installationToken);
    expect((await trial.get('/licensing/v1/status')).body).toMatchObject({ total: 1, used: 1, remaining: 0, state: 'active' });
    t.clock.advanceDays(15);
    const late = await trial.post('/licensing/v1/check-ins', {});
    expect(claimsOf(late.body.certificate).lic.state).toBe('expired');
    expect((await trial.post('/licensing/v1/deactivations')).status).toBe(200);
  });

  it('gives a farm trial its trial seats, counted from usage', async () => {
    const res = await t.client().post('/licensing/v1/trials', { product: 'ras', ...machine() });
    const trial = asInstallation(t, res.body.installationToken);
    await trial.post('/licensing/v1/check-ins', usage(12));
    expect((await trial.get('/licensing/v1/status')).body).toMatchObject({ total: 50, used: 12, remaining: 38 });
  });
});
