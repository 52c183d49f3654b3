import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { MAX_VMS_PER_INSTALLATION } from '../../src/domain/virtual-machines.js';
import { createTestApp, signedInUser, type ApiClient, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation } from '../support/installations.js';
import { customerWithSubscription } from '../support/licensing.js';
import { watchWrites, type WriteLog } from '../support/write-log.js';

let t: TestApp;
let writes: WriteLog;
beforeAll(async () => {
  t = await createTestApp();
  writes = await watchWrites(t.deps.db);
});
afterAll(() => t.close());

const enterprise = [{ productCode: 'desktop-enterprise', licenseType: null, quantity: 20 }];

/** A business account holding an Enterprise subscription, with helpers to make sublicenses and install. */
async function account(items = enterprise) {
  const c = await customerWithSubscription(t, { items });
  const base = `/api/v1/accounts/${c.accountId}`;
  const sublicense = async (name: string) => {
    const res = await c.client.post(`${base}/subscriptions/${c.subscription.id}/keys`, { itemId: c.items[0]!.id, name, kind: 'reserved', quota: 3, expiresAt: null });
    expect(res.status).toBe(201);
    return res.body.key as { id: string; key: string; name: string };
  };
  return { ...c, base, sublicense };
}

async function install(licenseKey: string, extra: Record<string, unknown> = {}) {
  const res = await activate(t, activationBody(licenseKey, { product: 'desktop-enterprise', ...extra }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const client = asInstallation(t, res.body.installationToken);
  return { id: res.body.installationId as string, checkIn: (body: Record<string, unknown>) => client.post('/licensing/v1/check-ins', body) };
}

let serial = 0;
const vm = (name: string, extra: Record<string, unknown> = {}) => ({
  uuid: `6ba7b810-9dad-41d1-80b4-${(++serial).toString(16).padStart(12, '0')}`,
  name,
  guestOs: 'Windows 11',
  state: 'running',
  architecture: 'arm64',
  lastUsedAt: t.clock.now().toISOString(),
  ...extra,
});

const stored = (installationId: string) =>
  t.deps.db.selectFrom('virtual_machines').selectAll().where('installation_id', '=', installationId).orderBy('name').execute();

type Page = { items: ({ id: string; name: string } & Record<string, any>)[]; nextCursor: string | null };
const list = async (client: ApiClient, base: string, query = '') => {
  const res = await client.get<Page>(`${base}/virtual-machines${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const names = (page: Page) => page.items.map((i) => i.name);

describe('a check-in with virtual machines', () => {
  it('keeps the good entries as the inventory and refuses each bad one with a warning naming it', async () => {
    const c = await account();
    const one = await install(c.key, { name: 'mac-1' });
    const good = vm('Build box', { uuid: vm('x').uuid.toUpperCase(), architecture: 'aarch64' });
    const res = await one.checkIn({ virtualMachines: [good, vm('Bad state', { state: 'exploded' }), 'junk', vm('Old Windows', { architecture: 'x86_64', lastUsedAt: null })] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.warnings).toEqual([
      { code: 'virtual_machine_refused', entry: 2, message: 'Virtual machine 2 (Bad state) was not recorded: its state is not one of running, paused, suspended, stopped.' },
      { code: 'virtual_machine_refused', entry: 3, message: 'Virtual machine 3 was not recorded: it is not an object.' },
    ]);
    const rows = await stored(one.id);
    expect(rows.map((r) => [r.name, r.uuid, r.architecture, r.last_used_at, r.account_id])).toEqual([
      ['Build box', good.uuid.toLowerCase(), 'arm64', t.clock.now(), c.accountId],
      ['Old Windows', expect.any(String), 'x86_64', null, c.accountId],
    ]);
  });

  it('replaces the inventory when it changed, and writes nothing when it did not', async () => {
    const c = await account();
    const one = await install(c.key);
    const [a, b, d] = [vm('A'), vm('B'), vm('D')];
    await one.checkIn({ virtualMachines: [a, b] });
    const first = await stored(one.id);
    t.clock.advanceSeconds(3600);

    await writes.take();
    expect((await one.checkIn({ virtualMachines: [{ ...b, uuid: b.uuid.toUpperCase() }, a] })).body.warnings).toEqual([]);
    // Only the check-in's own record of the visit: the inventory and its hash stay as they were.
    const unchanged = await writes.take();
    expect(unchanged.map((w) => [w.table, w.op])).toEqual([['installations', 'UPDATE']]);
    expect(await stored(one.id)).toEqual(first);

    // A check-in without the list leaves the inventory as it is.
    await one.checkIn({ appVersion: '20.1' });
    expect(await stored(one.id)).toEqual(first);

    await one.checkIn({ virtualMachines: [{ ...a, state: 'suspended' }, d] });
    const after = await stored(one.id);
    expect(after.map((r) => [r.name, r.state, r.reported_at])).toEqual([
      ['A', 'suspended', t.clock.now()],
      ['D', 'running', t.clock.now()],
    ]);
    // A VM reported again keeps its row, so a list being paged keeps its place.
    expect(after[0]!.id).toBe(first[0]!.id);

    await one.checkIn({ virtualMachines: [] });
    expect(await stored(one.id)).toEqual([]);
  });

  it(`keeps at most ${MAX_VMS_PER_INSTALLATION} VMs and refuses the excess in one warning`, async () => {
    const c = await account();
    const one = await install(c.key);
    const many = Array.from({ length: MAX_VMS_PER_INSTALLATION + 5 }, (_, n) => vm(`vm-${n}`));
    const res = await one.checkIn({ virtualMachines: many });
    expect(res.status).toBe(200);
    expect(res.body.warnings).toEqual([
      { code: 'virtual_machines_over_limit', entry: 201, message: 'Virtual machines 201 to 205 were not recorded: an installation reports at most 200 virtual machines.' },
    ]);
    expect(await stored(one.id)).toHaveLength(MAX_VMS_PER_INSTALLATION);
    // Past what a check-in may carry at all, the body is refused as a whole and nothing changes.
    const tooMany = await one.checkIn({ virtualMachines: Array.from({ length: 10_001 }, () => ({})) });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'validation_failed']);
    expect(await stored(one.id)).toHaveLength(MAX_VMS_PER_INSTALLATION);
  });

  it('is ignored, unread, for a product without the vm_inventory feature, as before', async () => {
    const c = await account([{ productCode: 'desktop-business', licenseType: null, quantity: 5 }]);
    const res = await activate(t, activationBody(c.key));
    const client = asInstallation(t, res.body.installationToken);
    const answer = await client.post('/licensing/v1/check-ins', { virtualMachines: [vm('Kept?'), 'junk'] });
    expect([answer.status, answer.body.warnings]).toEqual([200, []]);
    expect(await stored(res.body.installationId)).toEqual([]);
    expect((await c.client.get('/api/v1/me')).body.accounts.find((a: { id: string }) => a.id === c.accountId).features).not.toContain('vm_inventory');
  });

  it("keeps a deactivated installation's VMs for history, out of the list unless asked for", async () => {
    const c = await account();
    const one = await install(c.key, { name: 'leaving' });
    await one.checkIn({ virtualMachines: [vm('Stays')] });
    await t.deps.db.updateTable('installations').set({ pending_action: 'deactivate' }).where('id', '=', one.id).execute();
    const last = await one.checkIn({ virtualMachines: [vm('Never kept')] });
    expect(last.body.action).toBe('deactivate');
    expect((await stored(one.id)).map((r) => r.name)).toEqual(['Stays']);
    expect(names(await list(c.client, c.base))).toEqual([]);
    const all = await list(c.client, c.base, '?installations=all');
    expect(all.items.map((i) => [i.name, i.installation])).toEqual([['Stays', { id: one.id, name: 'leaving', state: 'deactivated' }]]);
  });
});

describe("the account's virtual machine list", () => {
  it('lists, filters by key and installation, searches, sorts and pages', async () => {
    const c = await account();
    const lab = await c.sublicense('Lab');
    const mac1 = await install(c.key, { name: 'design-mac' });
    const mac2 = await install(lab.key, { name: 'lab-mac' });
    await mac1.checkIn({ virtualMachines: [vm('Windows 11 dev', { lastUsedAt: '2025-01-02T00:00:00Z' }), vm('ubuntu server', { guestOs: 'Ubuntu 24.04', lastUsedAt: null })] });
    const special = vm('Kali', { guestOs: 'Kali Linux', uuid: '{1B4E28BA-2FA1-41D2-883F-0016D3CCA427}' });
    await mac2.checkIn({ virtualMachines: [special, vm('Android 100%', { state: 'stopped', lastUsedAt: '2025-06-01T00:00:00Z' })] });
    expect((await c.client.get('/api/v1/me')).body.accounts.find((a: { id: string }) => a.id === c.accountId).features).toContain('vm_inventory');

    const page = await list(c.client, c.base);
    expect(names(page)).toEqual(['Android 100%', 'Kali', 'ubuntu server', 'Windows 11 dev']);
    expect(page.items[1]).toEqual({
      id: expect.any(String),
      uuid: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
      name: 'Kali',
      guestOs: 'Kali Linux',
      state: 'running',
      architecture: 'arm64',
      lastUsedAt: t.clock.now().toISOString(),
      reportedAt: t.clock.now().toISOString(),
      installation: { id: mac2.id, name: 'lab-mac', state: 'active' },
      key: { id: lab.id, name: 'Lab' },
      group: null,
    });
    expect(names(await list(c.client, c.base, `?keyId=${lab.id}`))).toEqual(['Android 100%', 'Kali']);
    expect(names(await list(c.client, c.base, `?installationId=${mac1.id}`))).toEqual(['ubuntu server', 'Windows 11 dev']);
    expect(names(await list(c.client, c.base, '?q=UBUNTU'))).toEqual(['ubuntu server']);
    expect(names(await list(c.client, c.base, '?q=1b4e28ba-2fa1'))).toEqual(['Kali']);
    expect(names(await list(c.client, c.base, '?q=lab-m'))).toEqual(['Android 100%', 'Kali']);
    expect(names(await list(c.client, c.base, '?q=100%25'))).toEqual(['Android 100%']);
    expect(names(await list(c.client, c.base, '?q=10_%25'))).toEqual([]);
    expect(names(await list(c.client, c.base, '?sort=lastUsed&order=desc'))).toEqual(['Kali', 'Android 100%', 'Windows 11 dev', 'ubuntu server']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: Page = await list(c.client, c.base, `?sort=lastUsed&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...names(p));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['ubuntu server', 'Windows 11 dev', 'Android 100%', 'Kali']);
  });

  it('downloads the list as shown as CSV, headed by the visible column names, times in ISO 8601 UTC', async () => {
    const c = await account();
    const one = await install(c.key, { name: 'csv-mac' });
    await one.checkIn({ virtualMachines: [vm('=HYPERLINK("x")', { lastUsedAt: '2025-03-04T05:06:07+02:00' }), vm('Other', { state: 'paused' })] });
    const res = await c.client.get(`${c.base}/virtual-machines.csv?q=hyperlink`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="virtual-machines-\d{4}-\d\d-\d\d\.csv"/);
    expect((res.body as string).split(/\r?\n/)[0]).toBe('Name,Guest OS,State,Architecture,Last used,Installation,License key,UUID');
    const rows = parse(res.body as string, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        Name: `'=HYPERLINK("x")`,
        'Guest OS': 'Windows 11',
        State: 'Running',
        Architecture: 'arm64',
        'Last used': '2025-03-04T03:06:07.000Z',
        Installation: 'csv-mac',
        'License key': expect.any(String),
        UUID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    const all = parse((await c.client.get(`${c.base}/virtual-machines.csv?sort=name&order=desc`)).body as string, { columns: true }) as Record<string, string>[];
    expect(all.map((r) => [r['Name'], r['State']])).toEqual([
      ['Other', 'Paused'],
      [`'=HYPERLINK("x")`, 'Running'],
    ]);
  });

  it('shows a License Administrator only the VMs of their keys, and a member who may not see installations none', async () => {
    const c = await account();
    const office = await c.sublicense('Office');
    const lab = await c.sublicense('Lab');
    await (await install(office.key)).checkIn({ virtualMachines: [vm('Mine')] });
    await (await install(lab.key)).checkIn({ virtualMachines: [vm('Theirs')] });
    const lead = await signedInUser(t, 'lead');
    await insertMembership(t.deps.db, { accountId: c.accountId, userId: lead.userId, role: 'member' });
    for (const url of [`${c.base}/virtual-machines`, `${c.base}/virtual-machines.csv`]) {
      expect((await lead.client.get(url)).body.error.code).toBe('forbidden');
    }
    const grant = await c.client.request('PUT', `${c.base}/subscriptions/${c.subscription.id}/keys/${office.id}/admins/${lead.userId}`);
    expect(grant.status).toBe(200);
    expect(names(await list(lead.client, c.base))).toEqual(['Mine']);
    expect(names(await list(lead.client, c.base, `?keyId=${lab.id}`))).toEqual([]);
    const csv = parse((await lead.client.get(`${c.base}/virtual-machines.csv`)).body as string, { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r['Name'])).toEqual(['Mine']);
    expect(names(await list(c.client, c.base))).toEqual(['Mine', 'Theirs']);
  });

  it("answers 404 to another account's member, and never lists another account's VMs", async () => {
    const c = await account();
    const one = await install(c.key);
    await one.checkIn({ virtualMachines: [vm('Private')] });
    const outsider = await account();
    for (const url of [`${c.base}/virtual-machines`, `${c.base}/virtual-machines.csv`]) {
      const res = await outsider.client.get(url);
      expect([url, res.status, res.body.error?.code]).toEqual([url, 404, 'not_found']);
    }
    expect(names(await list(outsider.client, outsider.base, `?installationId=${one.id}&installations=all`))).toEqual([]);
    expect(names(await list(outsider.client, outsider.base, `?keyId=${c.primaryKey.id}`))).toEqual([]);
  });

  it('refuses bad input with 400 naming the parameter', async () => {
    const c = await account();
    const bad = ['?sort=size', '?order=up', '?installations=some', '?keyId=nope', '?installationId=1', '?limit=0', '?limit=201', '?cursor=junk', '?group=x', `?q=${'x'.repeat(101)}`];
    for (const query of bad) {
      const res = await c.client.get(`${c.base}/virtual-machines${query}`);
      expect([query, res.status, res.body.error?.code]).toEqual([query, 400, 'validation_failed']);
    }
    // A cursor made for one sort is refused under another.
    const one = await install(c.key);
    await one.checkIn({ virtualMachines: [vm('a'), vm('b')] });
    const first = await list(c.client, c.base, '?limit=1');
    const res = await c.client.get(`${c.base}/virtual-machines?sort=lastUsed&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
  });
});
