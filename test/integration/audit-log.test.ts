import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { AUDIT_EXPORT_MAX_ROWS } from '../../src/services/audit-log.js';
import { ACME, createTestApp, signedInUser, type ApiClient, type TestApp } from '../support/harness.js';
import { activate, activationBody, addSublicense, asInstallation } from '../support/installations.js';
import { issueOrder } from '../support/licensing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Admin = Awaited<ReturnType<typeof signedInUser>>;

async function businessAccount(admin: Admin): Promise<string> {
  const res = await admin.client.post('/api/v1/accounts', ACME);
  expect(res.status).toBe(201);
  return res.body.account.id;
}

async function personalAccountId(client: ApiClient): Promise<string> {
  const { accounts } = (await client.get('/api/v1/me')).body;
  return accounts.find((a: { kind: string }) => a.kind === 'personal').id;
}

const log = (client: ApiClient, accountId: string, query = '') => client.get(`/api/v1/accounts/${accountId}/audit-events${query}`);

describe('audit log', () => {
  it('records sign-up, account creation and edits with who, from where and when', async () => {
    const admin = await signedInUser(t, 'auditor');
    const personal = await personalAccountId(admin.client);
    const signedUp = await log(admin.client, personal);
    expect(signedUp.status).toBe(200);
    expect(signedUp.body).toEqual({
      items: [
        {
          id: expect.any(String),
          action: 'user.signed_up',
          actorEmail: admin.email,
          actorUserId: admin.userId,
          targetType: 'user',
          targetId: admin.userId,
          details: {},
          ip: admin.client.ip,
          createdAt: t.clock.now().toISOString(),
        },
      ],
      nextCursor: null,
    });

    const accountId = await businessAccount(admin);
    t.clock.advanceSeconds(60);
    expect((await admin.client.patch(`/api/v1/accounts/${accountId}`, { city: 'Hamburg' })).status).toBe(200);
    const { items } = (await log(admin.client, accountId)).body;
    expect(items).toEqual([
      expect.objectContaining({ action: 'account.updated', actorEmail: admin.email, targetType: 'account', targetId: accountId, details: { city: 'Hamburg' }, ip: admin.client.ip, createdAt: t.clock.now().toISOString() }),
      expect.objectContaining({ action: 'account.created', actorEmail: admin.email, targetId: accountId, createdAt: new Date(t.clock.now().getTime() - 60_000).toISOString() }),
    ]);
  });

  it('filters by action, actor, target type and time', async () => {
    const admin = await signedInUser(t, 'filter');
    const other = await signedInUser(t, 'co_admin');
    const accountId = await businessAccount(admin);
    await insertMembership(t.deps.db, { accountId, userId: other.userId, role: 'admin' });
    t.clock.advanceSeconds(3600);
    const first = t.clock.now().toISOString();
    await admin.client.patch(`/api/v1/accounts/${accountId}`, { city: 'Hamburg' });
    t.clock.advanceSeconds(3600);
    const second = t.clock.now().toISOString();
    await other.client.patch(`/api/v1/accounts/${accountId}`, { city: 'Munich' });

    const actions = async (query: string) => {
      const res = await log(admin.client, accountId, query);
      expect(res.status).toBe(200);
      return res.body.items.map((e: { action: string; details: { city?: string } }) => e.details.city ?? e.action);
    };
    expect(await actions('')).toEqual(['Munich', 'Hamburg', 'account.created']);
    expect(await actions('?action=account.created')).toEqual(['account.created']);
    expect(await actions(`?actor=${encodeURIComponent(other.email.toUpperCase())}`)).toEqual(['Munich']);
    // An underscore in the filter is a character, not a wildcard.
    expect(await actions(`?actor=${encodeURIComponent(other.email.replace('co_admin', 'coXadmin'))}`)).toEqual([]);
    expect(await actions('?targetType=account')).toHaveLength(3);
    expect(await actions('?targetType=user')).toEqual([]);
    expect(await actions(`?from=${first}`)).toEqual(['Munich', 'Hamburg']);
    expect(await actions(`?to=${first}`)).toEqual(['account.created']);
    expect(await actions(`?from=${first}&to=${second}`)).toEqual(['Hamburg']);
    expect(await actions(`?from=${encodeURIComponent(new Date(second).toISOString().replace('Z', '+00:00'))}`)).toEqual(['Munich']);
  });

  it('pages through every event exactly once, newest first, while new events arrive', async () => {
    const admin = await signedInUser(t, 'pager');
    const accountId = await businessAccount(admin);
    for (let i = 1; i <= 7; i++) await admin.client.patch(`/api/v1/accounts/${accountId}`, { zip: `1000${i}` });
    const all = (await log(admin.client, accountId)).body.items.map((e: { id: string }) => e.id);
    expect(all).toHaveLength(8);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await log(admin.client, accountId, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((e: { id: string }) => e.id));
      cursor = page.body.nextCursor;
      if (seen.length === 3) await admin.client.patch(`/api/v1/accounts/${accountId}`, { zip: '20000' });
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('refuses bad filters with 400', async () => {
    const admin = await signedInUser(t, 'badfilter');
    const accountId = await personalAccountId(admin.client);
    for (const query of ['?from=yesterday', '?to=2024-13-01T00:00:00Z', '?actor=not-an-email', '?limit=0', '?limit=201', '?cursor=garbage', '?sort=asc']) {
      const res = await log(admin.client, accountId, query);
      expect([query, res.status, res.body.error.code]).toEqual([query, 400, 'validation_failed']);
    }
    const csv = await admin.client.get(`/api/v1/accounts/${accountId}/audit-events.csv?from=yesterday`);
    expect([csv.status, csv.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it("never shows another account's events, and refuses regular members", async () => {
    const admin = await signedInUser(t, 'owner');
    const accountId = await businessAccount(admin);
    const outsider = await signedInUser(t, 'outsider');
    const member = await signedInUser(t, 'member');
    await insertMembership(t.deps.db, { accountId, userId: member.userId, role: 'member' });

    for (const path of ['audit-events', 'audit-events.csv']) {
      const url = `/api/v1/accounts/${accountId}/${path}`;
      const hidden = await outsider.client.get(url);
      expect([path, hidden.status, hidden.body.error.code]).toEqual([path, 404, 'not_found']);
      const refused = await member.client.get(url);
      expect([path, refused.status, refused.body.error.code]).toEqual([path, 403, 'forbidden']);
    }
    const own = (await log(outsider.client, await personalAccountId(outsider.client))).body.items;
    expect(own.map((e: { actorEmail: string }) => e.actorEmail)).toEqual([outsider.email]);
  });
});

describe('installations in the audit log', () => {
  it('records online activations, deactivations and the moves check-ins carry out, with the machine as it is known', async () => {
    const order = await issueOrder(t);
    const admin = await signedInUser(t, 'fleet');
    const accountId = await personalAccountId(admin.client);
    expect((await admin.client.post(`/api/v1/accounts/${accountId}/subscriptions`, { licenseKey: order.key })).status).toBe(201);
    const installations = async () => (await log(admin.client, accountId, '?targetType=installation')).body.items;
    const machine = t.client();
    const body = activationBody(order.key);
    const first = await activate(t, body, machine);
    expect(first.status).toBe(201);
    const { installationId } = first.body;
    expect(await installations()).toEqual([
      {
        id: expect.any(String),
        action: 'installation.activated',
        actorEmail: null,
        actorUserId: null,
        targetType: 'installation',
        targetId: installationId,
        details: { keyId: order.primaryKey.id, fingerprint: body.fingerprint, created: true },
        ip: machine.ip,
        createdAt: t.clock.now().toISOString(),
      },
    ]);

    const target = await addSublicense(t.deps.db, { subscription: order.subscription, accountId }, order.items[0]!.id, 'reserved', 1);
    await t.deps.db.updateTable('installations').set({ pending_action: 'move', pending_key_id: target.id }).where('id', '=', installationId).execute();
    const installation = asInstallation(t, first.body.installationToken);
    expect((await installation.post('/licensing/v1/check-ins', {})).body.action).toBe('reactivate');
    await t.deps.db.updateTable('installations').set({ pending_action: 'deactivate' }).where('id', '=', installationId).execute();
    expect((await installation.post('/licensing/v1/check-ins', {})).body.action).toBe('deactivate');
    const other = await activate(t, activationBody(order.key));
    expect((await asInstallation(t, other.body.installationToken).post('/licensing/v1/deactivations', {})).status).toBe(200);

    const events = (await installations()).map((e: { action: string; targetId: string; details: Record<string, unknown> }) => [e.action, e.targetId, e.details]);
    expect(events).toEqual([
      ['installation.deactivated', other.body.installationId, { keyId: order.primaryKey.id, reason: 'deactivated by the installation' }],
      ['installation.activated', other.body.installationId, expect.objectContaining({ created: true })],
      ['installation.deactivated', installationId, { keyId: target.id, reason: 'deactivated from the portal' }],
      ['installation.moved', installationId, { fromKeyId: order.primaryKey.id, toKeyId: target.id }],
      ['installation.activated', installationId, expect.objectContaining({ created: true })],
    ]);
  });
});

describe('audit log CSV export', () => {
  it('downloads every matching event with a header row, quoting commas and quotes', async () => {
    const admin = await signedInUser(t, 'exporter');
    const accountId = await businessAccount(admin);
    await admin.client.patch(`/api/v1/accounts/${accountId}`, { name: 'Acme, "Quoted" Ltd' });
    await admin.client.patch(`/api/v1/accounts/${accountId}`, { phone: '+49 30 7654321' });

    const res = await admin.client.get(`/api/v1/accounts/${accountId}/audit-events.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="audit-log-${t.clock.now().toISOString().slice(0, 10)}.csv"`);
    const text = res.body as string;
    expect(text.trimEnd().split('\n')).toHaveLength(4);
    const [header, ...rows] = parse(text);
    expect(header).toEqual(['time', 'actor', 'action', 'target_type', 'target_id', 'ip', 'details']);
    expect(rows).toEqual([
      [t.clock.now().toISOString(), admin.email, 'account.updated', 'account', accountId, admin.client.ip, '{"phone":"+49 30 7654321"}'],
      [t.clock.now().toISOString(), admin.email, 'account.updated', 'account', accountId, admin.client.ip, '{"name":"Acme, \\"Quoted\\" Ltd"}'],
      [t.clock.now().toISOString(), admin.email, 'account.created', 'account', accountId, admin.client.ip, '{}'],
    ]);
    expect(text).toContain('"{""name"":""Acme, \\""Quoted\\"" Ltd""}"');

    const filtered = await admin.client.get(`/api/v1/accounts/${accountId}/audit-events.csv?action=account.created`);
    expect(parse(filtered.body as string)).toHaveLength(2);
  });

  it(`exports in chunks up to ${AUDIT_EXPORT_MAX_ROWS} rows and asks to narrow a larger export`, async () => {
    const admin = await signedInUser(t, 'bulk');
    const accountId = await businessAccount(admin);
    // A long history, written straight to the table: a year-old event for each row of the cap.
    await sql`
      INSERT INTO audit_events (account_id, action, target_type, details, created_at)
      SELECT ${accountId}::uuid, 'license.checked', 'license', jsonb_build_object('n', n), ${new Date(t.clock.now().getTime() - 365 * 86_400_000)}::timestamptz
      FROM generate_series(1, ${AUDIT_EXPORT_MAX_ROWS}) AS n`.execute(t.deps.db);

    const tooMany = await admin.client.get(`/api/v1/accounts/${accountId}/audit-events.csv`);
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'export_too_large']);

    const recent = await admin.client.get(`/api/v1/accounts/${accountId}/audit-events.csv?from=${new Date(t.clock.now().getTime() - 86_400_000).toISOString()}`);
    expect(parse(recent.body as string)).toHaveLength(2);

    const history = await admin.client.get(`/api/v1/accounts/${accountId}/audit-events.csv?action=license.checked`);
    expect(history.status).toBe(200);
    const rows = parse(history.body as string).slice(1);
    expect(rows).toHaveLength(AUDIT_EXPORT_MAX_ROWS);
    expect(new Set(rows.map((r) => r[6])).size).toBe(AUDIT_EXPORT_MAX_ROWS);
  }, 120_000); // 100,000 rows written and read back: slow on a busy machine
});
