import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { createTestApp, signedInUser, type ApiClient, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation, claimsOf, counters, machine } from '../support/installations.js';
import { customerWithSubscription, issueOrder } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

type Customer = Awaited<ReturnType<typeof customerWithSubscription>>;

/** A business account with one subscription of `quantity` desktop seats and helpers to activate and list. */
async function account(items = [{ productCode: 'desktop-business', licenseType: null, quantity: 30 }]) {
  const c = await customerWithSubscription(t, { items });
  const base = `/api/v1/accounts/${c.accountId}`;
  const subs = `${base}/subscriptions/${c.subscription.id}`;
  const sublicense = async (name: string, kind: 'dynamic' | 'reserved', quota: number, itemIndex = 0) => {
    const res = await c.client.post(`${subs}/keys`, { itemId: c.items[itemIndex]!.id, name, kind, quota, expiresAt: null });
    expect(res.status).toBe(201);
    return res.body.key as { id: string; key: string; name: string };
  };
  return { ...c, base, subs, sublicense };
}

/** Activates a machine through the licensing API, as the product would. */
async function install(licenseKey: string, extra: Record<string, unknown> = {}) {
  const body = activationBody(licenseKey, extra);
  const res = await activate(t, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.installationId as string, fingerprint: body.fingerprint, publicKey: body.publicKey, client: asInstallation(t, res.body.installationToken) };
}

const list = async (client: ApiClient, base: string, query = '') => {
  const res = await client.get(`${base}/installations${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: ({ id: string } & Record<string, any>)[]; nextCursor: string | null };
};
const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);
const act = (c: Customer & { base: string }, body: Record<string, unknown>) => c.client.post(`${c.base}/installations/actions`, body);

describe('the installations list', () => {
  it('filters by state, key, subscription, product and expiry', async () => {
    const c = await account();
    const lab = await c.sublicense('Lab', 'dynamic', 5);
    const office = await c.sublicense('Office', 'reserved', 5);
    const a = await install(c.key, { name: 'primary-a' });
    const b = await install(lab.key, { name: 'lab-b' });
    const d = await install(office.key, { name: 'office-d' });
    const gone = await install(c.key, { name: 'primary-gone' });
    expect((await gone.client.post('/licensing/v1/deactivations')).status).toBe(200);

    const all = await list(c.client, c.base);
    expect(new Set(ids(all))).toEqual(new Set([a.id, b.id, d.id, gone.id]));
    expect(new Set(ids(await list(c.client, c.base, '?state=active')))).toEqual(new Set([a.id, b.id, d.id]));
    expect(ids(await list(c.client, c.base, '?state=deactivated'))).toEqual([gone.id]);
    expect(ids(await list(c.client, c.base, `?keyId=${lab.id}`))).toEqual([b.id]);
    expect(ids(await list(c.client, c.base, `?subscriptionId=${c.subscription.id}&state=active&keyId=${office.id}`))).toEqual([d.id]);
    expect(ids(await list(c.client, c.base, '?product=ras'))).toEqual([]);
    expect(ids(await list(c.client, c.base, '?product=desktop-business')).length).toBe(4);

    // The expiry that applies: the key's own date, else the subscription's.
    const now = t.clock.now().getTime();
    await t.deps.db.updateTable('license_keys').set({ expires_at: new Date(now + 10 * DAY) }).where('id', '=', lab.id).execute();
    expect(ids(await list(c.client, c.base, '?expiry=expiring_soon'))).toEqual([b.id]);
    expect(ids(await list(c.client, c.base, '?expiry=expired'))).toEqual([]);
    await t.deps.db.updateTable('license_keys').set({ expires_at: new Date(now - DAY) }).where('id', '=', lab.id).execute();
    await t.deps.db.updateTable('subscriptions').set({ expires_at: new Date(now + 20 * DAY) }).where('id', '=', c.subscription.id).execute();
    expect(ids(await list(c.client, c.base, '?expiry=expired'))).toEqual([b.id]);
    expect(new Set(ids(await list(c.client, c.base, '?expiry=expiring_soon')))).toEqual(new Set([a.id, d.id, gone.id]));
    const row = (await list(c.client, c.base, `?keyId=${office.id}`)).items[0]!;
    expect(row.licenseExpiresAt).toBe(new Date(now + 20 * DAY).toISOString());
  });

  it('shows each row with its key by name, never the key text, and only the chosen columns', async () => {
    const c = await account();
    const lab = await c.sublicense('Lab', 'dynamic', 5);
    await install(lab.key, { name: 'mac-1', hostOs: 'macOS 14.5', userName: 'appleseed', appVersion: '19.1', hardware: { serialNumber: 'C02XYZ', macAddresses: ['3C:07:54:67:51:1E'], ipAddresses: ['10.0.0.7'] } });
    const [row] = (await list(c.client, c.base)).items;
    expect(row).toMatchObject({
      name: 'mac-1',
      alias: null,
      state: 'active',
      blacklisted: false,
      product: { code: 'desktop-business' },
      licenseType: null,
      key: { id: lab.id, name: 'Lab' },
      version: '19.1',
      hostOs: 'macOS 14.5',
      userName: 'appleseed',
      lastContactAt: t.clock.now().toISOString(),
      pendingAction: null,
      usagePeak: null,
      serialNumber: 'C02XYZ',
      macAddresses: ['3C:07:54:67:51:1E'],
      ipAddresses: ['10.0.0.7'],
    });
    expect(JSON.stringify(row)).not.toContain(lab.key);
    const chosen = (await list(c.client, c.base, '?columns=name,key,lastContactAt')).items[0]!;
    expect(Object.keys(chosen).sort()).toEqual(['id', 'key', 'lastContactAt', 'name']);
  });

  it('searches name, alias, user name, host OS, fingerprint, serial, MAC and IP, taking wildcards literally', async () => {
    const c = await account();
    const one = await install(c.key, { name: 'Design 100%', userName: 'jdoe', hostOs: 'macOS 13', hardware: { serialNumber: 'SER-777', macAddresses: ['AA:BB:CC:00:11:22'], ipAddresses: ['192.168.1.50'] } });
    const two = await install(c.key, { name: 'Build box', userName: 'ci', hostOs: 'Windows 11' });
    await c.client.patch(`${c.base}/installations/${two.id}`, { alias: 'Night builder' });
    const search = async (q: string) => ids(await list(c.client, c.base, `?q=${encodeURIComponent(q)}`));
    expect(await search('design')).toEqual([one.id]);
    expect(await search('NIGHT')).toEqual([two.id]);
    expect(await search('jdoe')).toEqual([one.id]);
    expect(await search('windows')).toEqual([two.id]);
    expect(await search(two.fingerprint.slice(0, 20))).toEqual([two.id]);
    expect(await search('ser-777')).toEqual([one.id]);
    expect(await search('aa:bb:cc')).toEqual([one.id]);
    expect(await search('192.168.1.50')).toEqual([one.id]);
    expect(await search('100%')).toEqual([one.id]);
    expect(await search('%')).toEqual([one.id]);
    expect(await search('_')).toEqual([]);
  });

  it('sorts by last contact, activation date, name and expiry, both ways', async () => {
    const c = await account();
    const soon = await c.sublicense('Soon', 'dynamic', 5);
    const made = [];
    for (const [name, key] of [['charlie', c.key], ['alpha', soon.key], ['bravo', c.key]] as const) {
      made.push({ name, ...(await install(key, { name })) });
      t.clock.advanceSeconds(300);
    }
    await t.deps.db.updateTable('license_keys').set({ expires_at: new Date(t.clock.now().getTime() + 5 * DAY) }).where('id', '=', soon.id).execute();
    await made[0]!.client.post('/licensing/v1/check-ins', {});
    const names = async (q: string) => (await list(c.client, c.base, q)).items.map((r) => r.name);
    expect(await names('?sort=name&order=asc')).toEqual(['alpha', 'bravo', 'charlie']);
    expect(await names('?sort=name&order=desc')).toEqual(['charlie', 'bravo', 'alpha']);
    expect(await names('?sort=activatedAt&order=asc')).toEqual(['charlie', 'alpha', 'bravo']);
    expect(await names('')).toEqual(['charlie', 'bravo', 'alpha']);
    expect((await names('?sort=expiresAt&order=asc'))[0]).toBe('alpha');
    expect((await names('?sort=expiresAt&order=desc'))[2]).toBe('alpha');
    // The alias is the name the portal shows, so it is the name that sorts.
    await c.client.patch(`${c.base}/installations/${made[0]!.id}`, { alias: 'aardvark' });
    expect(await names('?sort=name&order=asc')).toEqual(['charlie', 'alpha', 'bravo']);
  });

  it('pages through every sort by cursor with no duplicates or gaps, and exports the shown list as CSV', async () => {
    const c = await account();
    const lab = await c.sublicense('Lab', 'dynamic', 10);
    for (let i = 0; i < 23; i++) {
      // Ties on purpose: pairs share a name and a contact time, so only the id tells them apart.
      await install(i % 3 === 0 ? lab.key : c.key, { name: `host-${Math.floor(i / 2)}` });
      if (i % 2 === 1) t.clock.advanceSeconds(60);
    }
    for (const sort of ['lastSeen', 'activatedAt', 'name', 'expiresAt']) {
      for (const order of ['asc', 'desc']) {
        const query = `?sort=${sort}&order=${order}&columns=name,key`;
        const whole = ids(await list(c.client, c.base, `${query}&limit=200`));
        expect(whole.length).toBe(23);
        const paged: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await list(c.client, c.base, `${query}&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
          paged.push(...ids(page));
          cursor = page.nextCursor;
          pages++;
        } while (cursor);
        expect([sort, order, pages, paged]).toEqual([sort, order, 5, whole]);

        const csv = await c.client.get(`${c.base}/installations.csv${query}`);
        expect(csv.status).toBe(200);
        expect(csv.headers['content-type']).toContain('text/csv');
        const records = parse(csv.body as string, { columns: true }) as Record<string, string>[];
        expect(Object.keys(records[0]!)).toEqual(['Installation ID', 'Computer name', 'License key']);
        expect(records.map((r) => r['Installation ID'])).toEqual(whole);
      }
    }
    const active = await c.client.get(`${c.base}/installations.csv?keyId=${lab.id}&columns=name`);
    expect((parse(active.body as string, { columns: true }) as unknown[]).length).toBe(8);
  });
});

describe('an installation', () => {
  it('shows its general facts, hardware and peak usage per report date', async () => {
    const c = await account([{ productCode: 'ras', licenseType: null, quantity: 50 }]);
    const farm = await install(c.key, { product: 'ras', name: 'FARM-F9E5', appVersion: '16.5', hostOs: 'Windows Server 2022', userName: 'farm-admin', serverId: 'SRV-1', hardware: { serialNumber: 'VM-1', macAddresses: ['00:11:22:33:44:55'], ipAddresses: ['10.1.1.1', '10.1.1.2'] } });
    const report = (peak: number) => farm.client.post('/licensing/v1/check-ins', { usage: { peak, current: peak, measuredAt: t.clock.now().toISOString() } });
    await report(12);
    await report(30);
    const firstDay = t.clock.now().toISOString().slice(0, 10);
    t.clock.advanceDays(1);
    await report(7);
    const res = await c.client.get(`${c.base}/installations/${farm.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: farm.id,
      name: 'FARM-F9E5',
      general: { state: 'active', version: '16.5', hostOs: 'Windows Server 2022', activatedBy: 'farm-admin', product: { code: 'ras' }, key: { name: expect.any(String) }, lastContactAt: t.clock.now().toISOString(), usagePeak: 7, serverId: 'SRV-1' },
      hardware: { serialNumber: 'VM-1', macAddresses: ['00:11:22:33:44:55'], ipAddresses: ['10.1.1.1', '10.1.1.2'] },
    });
    expect(res.body.usage).toEqual([
      { date: t.clock.now().toISOString().slice(0, 10), peak: 7, current: 7 },
      { date: firstDay, peak: 30, current: 30 },
    ]);
    expect(res.body.usageLimits).toEqual({
      quota: 50,
      overuse: null,
      usageReportDays: 1,
      lastUsageReportAt: t.clock.now().toISOString(),
      nextUsageReportAt: new Date(t.clock.now().getTime() + DAY).toISOString(),
    });
    expect((await list(c.client, c.base, '?columns=usagePeak')).items[0]).toEqual({ id: farm.id, usagePeak: 7 });

    const keyId = res.body.general.key.id;
    const usage = await c.client.get(`${c.subs}/keys/${keyId}/usage?from=${new Date(t.clock.now().getTime() - 3 * DAY).toISOString()}`);
    expect(usage.status).toBe(200);
    expect(usage.body.days).toEqual([
      { date: firstDay, peak: 30 },
      { date: t.clock.now().toISOString().slice(0, 10), peak: 7 },
    ]);
    expect(usage.body.installations).toEqual([{ installationId: farm.id, name: 'FARM-F9E5', alias: null, days: usage.body.days }]);
    expect((await c.client.get(`${c.subs}/keys/${keyId}/usage?from=2020-01-01T00:00:00Z&to=2019-01-01T00:00:00Z`)).status).toBe(400);
  });

  it("draws a proxy's history against its quota: per date the highest peak and the latest current use, and the time over the limit", async () => {
    const c = await account([{ productCode: 'mac-sccm', licenseType: null, quantity: 100 }]);
    const proxy = await install(c.key, { product: 'mac-sccm', name: 'PROXY-1' });
    const report = (peak: number, current: number) => proxy.client.post('/licensing/v1/check-ins', { usage: { peak, current, measuredAt: t.clock.now().toISOString() } });
    await report(80, 70);
    t.clock.advanceSeconds(3600);
    await report(60, 55); // early: kept beside the first, the date's peak stays 80
    const firstDay = t.clock.now().toISOString().slice(0, 10);
    t.clock.advanceDays(7);
    await report(120, 110);
    const overSince = t.clock.now().toISOString();
    const res = await c.client.get(`${c.base}/installations/${proxy.id}`);
    expect(res.body.usage).toEqual([
      { date: overSince.slice(0, 10), peak: 120, current: 110 },
      { date: firstDay, peak: 80, current: 55 },
    ]);
    expect(res.body.usageLimits).toEqual({
      quota: 100,
      overuse: { from: overSince, until: null, grace: false },
      usageReportDays: 7,
      lastUsageReportAt: overSince,
      nextUsageReportAt: new Date(t.clock.now().getTime() + 7 * DAY).toISOString(),
    });
    const desktop = await account();
    const computer = await install(desktop.key);
    expect((await desktop.client.get(`${desktop.base}/installations/${computer.id}`)).body.usageLimits).toBeNull();
    // Another account's installation is not found, its usage included.
    expect((await desktop.client.get(`${desktop.base}/installations/${proxy.id}`)).status).toBe(404);
  });

  it("shows a farm's overuse grace, kept after usage is back within the limit", async () => {
    const c = await account([{ productCode: 'ras', licenseType: null, quantity: 50 }]);
    const farm = await install(c.key, { product: 'ras' });
    const report = (peak: number) => farm.client.post('/licensing/v1/check-ins', { usage: { peak, current: peak, measuredAt: t.clock.now().toISOString() } });
    await report(60);
    const since = t.clock.now();
    t.clock.advanceDays(2);
    await report(40);
    const { usageLimits } = (await c.client.get(`${c.base}/installations/${farm.id}`)).body;
    expect(usageLimits).toMatchObject({ quota: 50, overuse: { from: since.toISOString(), until: new Date(since.getTime() + 7 * DAY).toISOString(), grace: true } });
  });

  it('takes an alias and notes, and audits the change', async () => {
    const c = await account();
    const one = await install(c.key, { name: 'mbp-17' });
    const res = await c.client.patch(`${c.base}/installations/${one.id}`, { alias: 'Anna’s MacBook', notes: 'Replaced battery in May' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ alias: 'Anna’s MacBook', notes: 'Replaced battery in May', name: 'mbp-17' });
    expect((await c.client.patch(`${c.base}/installations/${one.id}`, { alias: null })).body).toMatchObject({ alias: null, notes: 'Replaced battery in May' });
    const events = (await c.client.get(`${c.base}/audit-events?action=installation.updated`)).body.items;
    expect(events).toHaveLength(2);
  });
});

describe('actions', () => {
  it('deactivates one or many at their next check-in, releasing the seat then', async () => {
    const c = await account();
    const item = c.items[0]!.id;
    const machines = [await install(c.key), await install(c.key), await install(c.key)];
    const res = await act(c, { action: 'deactivate', installationIds: machines.map((m) => m.id) });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual(machines.map((m) => ({ installationId: m.id, ok: true, state: 'active', blacklisted: false, pendingAction: 'deactivate' })));
    expect(await counters(t.deps.db, c.primaryKey.id, item)).toMatchObject({ used: 3, active: 3 });
    expect((await list(c.client, c.base, '?columns=pendingAction')).items.map((r) => r.pendingAction)).toEqual(['deactivate', 'deactivate', 'deactivate']);

    const checkIn = await machines[0]!.client.post('/licensing/v1/check-ins', {});
    expect(checkIn.body.action).toBe('deactivate');
    expect(await counters(t.deps.db, c.primaryKey.id, item)).toMatchObject({ used: 2, active: 2 });
    expect(ids(await list(c.client, c.base, '?state=deactivated'))).toEqual([machines[0]!.id]);
    const again = await act(c, { action: 'deactivate', installationIds: [machines[0]!.id] });
    expect(again.body.results[0]).toMatchObject({ ok: false, error: { code: 'installation_deactivated' } });
    expect((await c.client.get(`${c.base}/audit-events?action=installation.deactivation_requested`)).body.items).toHaveLength(3);
  });

  it('blacklists a machine for its key: deactivated at once, refused with that key, welcome with another; unblacklisting lifts it', async () => {
    const c = await account();
    const lab = await c.sublicense('Lab', 'dynamic', 5);
    const me = machine();
    const first = await install(c.key, me);
    const res = await act(c, { action: 'blacklist', installationIds: [first.id] });
    expect(res.body.results).toEqual([{ installationId: first.id, ok: true, state: 'deactivated', blacklisted: true, pendingAction: null }]);
    expect(await counters(t.deps.db, c.primaryKey.id, c.items[0]!.id)).toMatchObject({ used: 0, active: 0 });
    expect(ids(await list(c.client, c.base, '?state=blacklisted'))).toEqual([first.id]);
    expect(ids(await list(c.client, c.base, '?state=deactivated'))).toEqual([]);
    expect((await first.client.post('/licensing/v1/check-ins', {})).status).toBe(403);

    const again = await activate(t, activationBody(c.key, me));
    expect([again.status, again.body.error.code]).toEqual([403, 'installation_blacklisted']);
    const elsewhere = await install(lab.key, me);
    expect(ids(await list(c.client, c.base, '?state=active'))).toEqual([elsewhere.id]);

    const lifted = await act(c, { action: 'unblacklist', installationIds: [first.id] });
    expect(lifted.body.results[0]).toMatchObject({ ok: true, state: 'deactivated', blacklisted: false });
    expect(ids(await list(c.client, c.base, '?state=blacklisted'))).toEqual([]);
    expect((await activate(t, activationBody(c.key, me))).status).toBe(201);
    const actions = (await c.client.get(`${c.base}/audit-events?targetType=installation`)).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['installation.activated', 'installation.unblacklisted', 'installation.activated', 'installation.blacklisted', 'installation.activated']);
  });

  it('moves to another key of the same product at the next contact, within its free seats', async () => {
    const c = await account();
    const target = await c.sublicense('Target', 'reserved', 1);
    const [one, two] = [await install(c.key), await install(c.key)];
    const res = await act(c, { action: 'move', installationIds: [one.id, two.id], targetKeyId: target.id });
    expect(res.body.results).toEqual([
      { installationId: one.id, ok: true, state: 'active', blacklisted: false, pendingAction: 'move' },
      { installationId: two.id, ok: false, error: { code: 'quota_exhausted', message: expect.any(String) } },
    ]);
    expect((await list(c.client, c.base, `?keyId=${target.id}`)).items).toEqual([]);
    const checkIn = await one.client.post('/licensing/v1/check-ins', {});
    expect(checkIn.body.action).toBe('reactivate');
    expect(claimsOf(checkIn.body.certificate).lic.keyId).toBe(target.id);
    expect(ids(await list(c.client, c.base, `?keyId=${target.id}`))).toEqual([one.id]);
    expect(await counters(t.deps.db, target.id, c.items[0]!.id)).toMatchObject({ used: 1, active: 1 });

    const same = await act(c, { action: 'move', installationIds: [one.id], targetKeyId: target.id });
    expect(same.body.results[0].error.code).toBe('already_on_key');
    const other = await customerWithSubscription(t, { items: [{ productCode: 'ras', licenseType: null, quantity: 5 }] });
    const foreign = await act(c, { action: 'move', installationIds: [two.id], targetKeyId: other.primaryKey.id });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
  });

  it('refuses to move to a key of another product, and a farm past its key move limit', async () => {
    const c = await account([{ productCode: 'ras', licenseType: null, quantity: 50 }]);
    // A second farm subscription in the same account, whose key served another farm before.
    const second = await issueOrder(t, { items: [{ productCode: 'ras', licenseType: null, quantity: 50 }] });
    expect((await c.client.post(`${c.base}/subscriptions`, { licenseKey: second.key })).status).toBe(201);
    const spare = second.primaryKey.id;
    const desktops = await issueOrder(t);
    expect((await c.client.post(`${c.base}/subscriptions`, { licenseKey: desktops.key })).status).toBe(201);
    const desktop = await install(desktops.key);
    const wrong = await act(c, { action: 'move', installationIds: [desktop.id], targetKeyId: spare });
    expect(wrong.body.results[0].error.code).toBe('product_mismatch');

    const farm = await install(c.key, { product: 'ras' });
    const old = await install(second.key, { product: 'ras' });
    await old.client.post('/licensing/v1/deactivations');
    await t.deps.db.updateTable('license_keys').set({ moves_used: 3 }).where('id', '=', spare).execute();
    const limited = await act(c, { action: 'move', installationIds: [farm.id], targetKeyId: spare });
    expect(limited.body.results[0].error.code).toBe('move_limit_reached');
    await t.deps.db.updateTable('license_keys').set({ moves_used: 0 }).where('id', '=', spare).execute();
    const moved = await act(c, { action: 'move', installationIds: [farm.id], targetKeyId: spare });
    expect(moved.body.results[0]).toMatchObject({ ok: true, pendingAction: 'move' });
    expect((await farm.client.post('/licensing/v1/check-ins', {})).body.action).toBe('reactivate');
    expect(ids(await list(c.client, c.base, `?keyId=${spare}&state=active`))).toEqual([farm.id]);
    const row = await t.deps.db.selectFrom('license_keys').select('moves_used').where('id', '=', spare).executeTakeFirstOrThrow();
    expect(row.moves_used).toBe(1);
  });
});

describe('the installation summary', () => {
  const summary = async (client: ApiClient, base: string) => {
    const res = await client.get(`${base}/installations/summary`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.products as { code: string; name: string; active: number; deactivated: number; blacklisted: number }[];
  };

  /** `n` deactivated installations of the primary key put straight into the table: more than a page of the list. */
  async function retired(c: Customer, n: number) {
    const now = t.clock.now();
    const item = c.items[0]!;
    const rows = Array.from({ length: n }, (_, i) => ({
      account_id: c.accountId,
      subscription_id: c.subscription.id,
      item_id: item.id,
      license_key_id: c.primaryKey.id,
      product_code: item.product_code,
      fingerprint: `retired-${i}-${c.accountId}`,
      public_key: 'retired',
      token_hash: `retired-${i}-${c.accountId}`,
      state: 'deactivated' as const,
      activated_at: now,
      last_seen_at: now,
      next_check_in_at: now,
      deactivated_at: now,
    }));
    await t.deps.db.insertInto('installations').values(rows).execute();
  }

  it("counts each product's active, deactivated and blacklisted installations exactly, past any page of the list", async () => {
    const c = await account([
      { productCode: 'desktop-business', licenseType: null, quantity: 30 },
      { productCode: 'ras', licenseType: null, quantity: 50 },
    ]);
    expect(await summary(c.client, c.base)).toEqual([]);
    await Promise.all([install(c.key), install(c.key), install(c.key), install(c.key, { product: 'ras' })]);
    const gone = await install(c.key);
    expect((await gone.client.post('/licensing/v1/deactivations')).status).toBe(200);
    const banned = await install(c.key);
    expect((await act(c, { action: 'blacklist', installationIds: [banned.id] })).body.results[0].ok).toBe(true);
    await retired(c, 250);

    expect(await summary(c.client, c.base)).toEqual([
      { code: 'desktop-business', name: 'Desktop Virtualization, Business Edition', active: 3, deactivated: 251, blacklisted: 1 },
      { code: 'ras', name: 'Remote Application Server', active: 1, deactivated: 0, blacklisted: 0 },
    ]);
    // Taken off the blacklist, the machine counts as deactivated again.
    await act(c, { action: 'unblacklist', installationIds: [banned.id] });
    expect((await summary(c.client, c.base))[0]).toMatchObject({ active: 3, deactivated: 252, blacklisted: 0 });
  });
});

describe('a cursor', () => {
  it('goes only with the sort and order it was made under: with another, or made up, it is a clear 400', async () => {
    const c = await account();
    await install(c.key, { name: 'one' });
    await install(c.key, { name: 'two' });
    const byName = await list(c.client, c.base, '?sort=name&order=asc&limit=1');
    expect(byName.nextCursor).not.toBeNull();
    const forged = (value: string) => Buffer.from(JSON.stringify({ sort: 'lastSeen', order: 'desc', value, id: byName.items[0]!.id })).toString('base64url');
    for (const [query, message] of [
      [`?sort=lastSeen&cursor=${byName.nextCursor}`, /sorted by name asc, not lastSeen desc/],
      [`?sort=name&order=desc&cursor=${byName.nextCursor}`, /sorted by name asc, not name desc/],
      [`?sort=lastSeen&cursor=${forged('one')}`, /not a cursor from a previous page/],
      [`?sort=lastSeen&cursor=${forged('2026-02-30 10:00:00+00')}`, /not a cursor from a previous page/],
    ] as const) {
      const res = await c.client.get(`${c.base}/installations${query}`);
      expect([query, res.status, res.body.error?.code, res.body.error?.details?.issues?.[0]?.path]).toEqual([query, 400, 'validation_failed', 'querystring.cursor']);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await list(c.client, c.base, `?sort=name&order=asc&limit=1&cursor=${byName.nextCursor}`)).items).toHaveLength(1);
  });
});

describe('who may see and act', () => {
  it('shows a License Administrator only the installations of their keys', async () => {
    const c = await account();
    const office = await c.sublicense('Office', 'reserved', 3);
    const lab = await c.sublicense('Lab', 'reserved', 3);
    const mine = await install(office.key, { name: 'mine' });
    const theirs = await install(lab.key, { name: 'theirs' });
    const lead = await signedInUser(t, 'lead');
    await insertMembership(t.deps.db, { accountId: c.accountId, userId: lead.userId, role: 'member' });
    expect((await lead.client.get(`${c.base}/installations`)).body.error.code).toBe('forbidden');
    expect((await lead.client.get(`${c.base}/installations/summary`)).body.error.code).toBe('forbidden');
    expect((await c.client.request('PUT', `${c.subs}/keys/${office.id}/admins/${lead.userId}`)).status).toBe(200);

    const counts = async (client: ApiClient) => (await client.get(`${c.base}/installations/summary`)).body.products.map((p: { active: number }) => p.active);
    expect([await counts(c.client), await counts(lead.client)]).toEqual([[2], [1]]);

    expect(ids(await list(lead.client, c.base))).toEqual([mine.id]);
    expect(ids(await list(lead.client, c.base, `?keyId=${lab.id}`))).toEqual([]);
    const csv = parse((await lead.client.get(`${c.base}/installations.csv?columns=name`)).body as string, { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r['Installation ID'])).toEqual([mine.id]);
    expect((await lead.client.get(`${c.base}/installations/${theirs.id}`)).status).toBe(404);
    expect((await lead.client.patch(`${c.base}/installations/${theirs.id}`, { notes: 'x' })).status).toBe(404);
    expect((await lead.client.get(`${c.subs}/keys/${lab.id}/usage`)).status).toBe(404);
    expect((await lead.client.get(`${c.subs}/keys/${office.id}/usage`)).status).toBe(200);
    const res = await lead.client.post(`${c.base}/installations/actions`, { action: 'deactivate', installationIds: [mine.id, theirs.id] });
    expect(res.body.results.map((r: { ok: boolean; error?: { code: string } }) => r.error?.code ?? 'ok')).toEqual(['ok', 'not_found']);
    expect((await lead.client.post(`${c.base}/installations/actions`, { action: 'move', installationIds: [mine.id], targetKeyId: lab.id })).status).toBe(404);
    const theirsRow = await t.deps.db.selectFrom('installations').select('pending_action').where('id', '=', theirs.id).executeTakeFirstOrThrow();
    expect(theirsRow.pending_action).toBeNull();
  });

  it("answers 404 to another account's member on every route, and the account's own routes 404 another account's installations", async () => {
    const c = await account();
    const one = await install(c.key);
    const outsider = await account();
    const routes: [string, string, unknown?][] = [
      ['GET', `${c.base}/installations`],
      ['GET', `${c.base}/installations.csv`],
      ['GET', `${c.base}/installations/summary`],
      ['GET', `${c.base}/installations/${one.id}`],
      ['PATCH', `${c.base}/installations/${one.id}`, { notes: 'mine now' }],
      ['POST', `${c.base}/installations/actions`, { action: 'deactivate', installationIds: [one.id] }],
      ['GET', `${c.subs}/keys/${c.primaryKey.id}/usage`],
    ];
    for (const [method, url, body] of routes) {
      const res = await outsider.client.request(method, url, body);
      expect([url, res.status, res.body.error?.code]).toEqual([url, 404, 'not_found']);
    }
    // Through their own account, the foreign installation and key do not exist either.
    expect((await outsider.client.get(`${outsider.base}/installations/summary`)).body).toEqual({ products: [] });
    expect((await outsider.client.get(`${outsider.base}/installations/${one.id}`)).status).toBe(404);
    expect((await outsider.client.get(`${outsider.subs}/keys/${c.primaryKey.id}/usage`)).status).toBe(404);
    const foreign = await act(outsider, { action: 'blacklist', installationIds: [one.id] });
    expect(foreign.body.results[0].error.code).toBe('not_found');
    const row = await t.deps.db.selectFrom('installations').select(['state', 'notes', 'blacklisted_at']).where('id', '=', one.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'active', notes: '', blacklisted_at: null });
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const c = await account();
    const one = await install(c.key);
    const before = await t.deps.db.selectFrom('installations').selectAll().where('id', '=', one.id).executeTakeFirstOrThrow();
    const bad: [string, string, unknown?][] = [
      ['GET', `${c.base}/installations?state=gone`],
      ['GET', `${c.base}/installations?sort=size`],
      ['GET', `${c.base}/installations?columns=name,secret`],
      ['GET', `${c.base}/installations?cursor=not-a-cursor`],
      ['GET', `${c.base}/installations?limit=0`],
      ['GET', `${c.base}/installations.csv?expiry=later`],
      ['GET', `${c.base}/installations/not-a-uuid`],
      ['GET', '/api/v1/accounts/not-a-uuid/installations/summary'],
      ['GET', `${c.base}/installations/summary?state=active`],
      ['PATCH', `${c.base}/installations/${one.id}`, { alias: 'x'.repeat(201) }],
      ['PATCH', `${c.base}/installations/${one.id}`, { notes: 'ok', state: 'active' }],
      ['PATCH', `${c.base}/installations/${one.id}`, {}],
      ['POST', `${c.base}/installations/actions`, { action: 'move', installationIds: [one.id] }],
      ['POST', `${c.base}/installations/actions`, { action: 'deactivate', installationIds: [one.id], targetKeyId: c.primaryKey.id }],
      ['POST', `${c.base}/installations/actions`, { action: 'deactivate', installationIds: [] }],
      ['POST', `${c.base}/installations/actions`, { action: 'deactivate', installationIds: Array.from({ length: 501 }, () => one.id) }],
      ['POST', `${c.base}/installations/actions`, { action: 'erase', installationIds: [one.id] }],
      ['GET', `${c.subs}/keys/${c.primaryKey.id}/usage?from=yesterday`],
    ];
    for (const [method, url, body] of bad) {
      const res = await c.client.request(method, url, body);
      expect([url, res.status, res.body]).toEqual([url, 400, { error: { code: 'validation_failed', message: expect.any(String), details: expect.any(Object), requestId: expect.any(String) } }]);
    }
    expect(await t.deps.db.selectFrom('installations').selectAll().where('id', '=', one.id).executeTakeFirstOrThrow()).toEqual(before);
  });
});
