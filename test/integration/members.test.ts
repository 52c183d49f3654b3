import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockAccountAdmins } from '../../src/data/repositories/memberships.js';
import { testEngine } from '../support/database.js';
import { ACME, createTestApp, signedInUser, type ApiClient, type TestApp } from '../support/harness.js';
import { auditTrail, businessAdmin, invitedMember, overlapping } from '../support/members.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const memberUrl = (accountId: string, userId: string) => `/api/v1/accounts/${accountId}/members/${userId}`;
const personalAccountId = async (client: ApiClient) =>
  (await client.get('/api/v1/me')).body.accounts.find((a: { kind: string }) => a.kind === 'personal').id as string;

describe('listing members', () => {
  it('pages members by email and filters by role, status and search', async () => {
    const admin = await businessAdmin(t, 'lister');
    const ann = await invitedMember(t, admin, 'ann');
    const bob = await invitedMember(t, admin, 'bob');
    const list = (query: string) => admin.client.get(`/api/v1/accounts/${admin.accountId}/members${query}`);
    const emails = (res: { body: { items: { email: string }[] } }) => res.body.items.map((m) => m.email);

    const first = await list('?limit=2');
    expect(emails(first)).toEqual([ann.email, bob.email]);
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ email: admin.email, role: 'admin' })], nextCursor: null });

    expect(emails(await list('?role=admin'))).toEqual([admin.email]);
    expect(emails(await list(`?search=${bob.email.split('@')[0]}`))).toEqual([bob.email]);
    await admin.client.post(`${memberUrl(admin.accountId, ann.userId)}/block`);
    expect(emails(await list('?status=blocked'))).toEqual([ann.email]);

    const one = await admin.client.get(memberUrl(admin.accountId, bob.userId));
    expect(one.body.member).toMatchObject({ userId: bob.userId, email: bob.email, firstName: 'bob', role: 'member', status: 'active', notes: '' });
    expect((await admin.client.get(memberUrl(admin.accountId, crypto.randomUUID()))).status).toBe(404);
  });
});

describe('roles and notes', () => {
  it('leaves member management to administrators', async () => {
    const admin = await businessAdmin(t);
    const member = await invitedMember(t, admin);
    const attempts = [
      member.client.get(`/api/v1/accounts/${admin.accountId}/members`),
      member.client.patch(memberUrl(admin.accountId, admin.userId), { role: 'member' }),
      member.client.post(`${memberUrl(admin.accountId, admin.userId)}/block`),
      member.client.delete(memberUrl(admin.accountId, admin.userId)),
    ];
    for (const res of await Promise.all(attempts)) expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('promotes a member, who can manage members on their very next request', async () => {
    const admin = await businessAdmin(t);
    const member = await invitedMember(t, admin);
    const res = await admin.client.patch(memberUrl(admin.accountId, member.userId), { role: 'admin', notes: 'Runs the Berlin office' });
    expect(res.body.member).toMatchObject({ role: 'admin', notes: 'Runs the Berlin office' });
    expect((await member.client.get(`/api/v1/accounts/${admin.accountId}/members`)).status).toBe(200);
    const trail = (await auditTrail(t, admin.accountId)).slice(-2);
    expect(trail).toEqual([
      expect.objectContaining({ action: 'member.role_changed', target_id: member.userId, details: { from: 'member', to: 'admin' } }),
      expect.objectContaining({ action: 'member.notes_changed', target_id: member.userId }),
    ]);
  });

  it('keeps notes within 2000 characters', async () => {
    const admin = await businessAdmin(t);
    const member = await invitedMember(t, admin);
    const res = await admin.client.patch(memberUrl(admin.accountId, member.userId), { notes: 'x'.repeat(2001) });
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('refuses to demote the only active administrator, but not one of two', async () => {
    const admin = await businessAdmin(t);
    const self = memberUrl(admin.accountId, admin.userId);
    const refused = await admin.client.patch(self, { role: 'member' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'last_admin']);
    await invitedMember(t, admin, 'second', 'admin');
    expect((await admin.client.patch(self, { role: 'member' })).body.member.role).toBe('member');
  });

  it.runIf(testEngine() === 'postgres')('keeps one administrator when two demote each other at the same moment', async () => {
    const first = await businessAdmin(t, 'first');
    const second = await invitedMember(t, first, 'second', 'admin');
    const answers = await overlapping(
      t,
      (trx) => lockAccountAdmins(trx, first.accountId),
      () => [
        first.client.patch(memberUrl(first.accountId, second.userId), { role: 'member' }),
        second.client.patch(memberUrl(first.accountId, first.userId), { role: 'member' }),
      ],
    );
    expect(answers.map((a) => a.body.error?.code ?? a.status).sort()).toEqual([200, 'last_admin']);
    expect((await first.client.get(`/api/v1/accounts/${first.accountId}`)).body.admins).toHaveLength(1);
  });
});

describe('blocking', () => {
  it("ends the member's access at once in their open session and restores it on unblock", async () => {
    const admin = await businessAdmin(t);
    const member = await invitedMember(t, admin);
    const account = `/api/v1/accounts/${admin.accountId}`;
    expect((await member.client.get(account)).status).toBe(200);

    const blocked = await admin.client.post(`${memberUrl(admin.accountId, member.userId)}/block`);
    expect(blocked.body.member.status).toBe('blocked');
    const denied = await member.client.get(account);
    expect([denied.status, denied.body.error.code]).toEqual([403, 'membership_blocked']);
    expect((await member.client.get(`/api/v1/accounts/${await personalAccountId(member.client)}`)).status).toBe(200);
    expect((await t.emailsTo(member.email))[0]?.subject).toBe(`Your access to ${ACME.name} was blocked`);

    await admin.client.post(`${memberUrl(admin.accountId, member.userId)}/unblock`);
    expect((await member.client.get(account)).status).toBe(200);
    expect((await t.emailsTo(member.email))[0]?.subject).toBe(`Your access to ${ACME.name} was restored`);
    const actions = (await auditTrail(t, admin.accountId)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['member.blocked', 'member.unblocked']);
  });

  it('refuses to block the only active administrator, and administrators blocking themselves', async () => {
    const admin = await businessAdmin(t);
    const self = `${memberUrl(admin.accountId, admin.userId)}/block`;
    expect((await admin.client.post(self)).body.error.code).toBe('last_admin');
    await invitedMember(t, admin, 'second', 'admin');
    const refused = await admin.client.post(self);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'cannot_target_self']);
  });
});

describe('removing and leaving', () => {
  it('removes a member, who loses access at once and is told by email', async () => {
    const admin = await businessAdmin(t);
    const member = await invitedMember(t, admin);
    expect((await admin.client.delete(memberUrl(admin.accountId, member.userId))).status).toBe(200);
    expect((await member.client.get(`/api/v1/accounts/${admin.accountId}`)).status).toBe(404);
    expect((await member.client.get('/api/v1/me')).body.accounts).toHaveLength(1);
    expect((await t.emailsTo(member.email))[0]?.subject).toBe(`You were removed from ${ACME.name}`);
    expect((await auditTrail(t, admin.accountId)).at(-1)).toMatchObject({ action: 'member.removed', target_id: member.userId });
  });

  it('refuses to remove the only active administrator, and sends other administrators to leave instead', async () => {
    const admin = await businessAdmin(t);
    const self = memberUrl(admin.accountId, admin.userId);
    expect((await admin.client.delete(self)).body.error.code).toBe('last_admin');
    await invitedMember(t, admin, 'second', 'admin');
    expect((await admin.client.delete(self)).body.error.code).toBe('cannot_target_self');
  });

  it('lets a regular member leave', async () => {
    const admin = await businessAdmin(t);
    const member = await invitedMember(t, admin);
    expect((await member.client.post(`/api/v1/accounts/${admin.accountId}/leave`)).status).toBe(200);
    expect((await member.client.get(`/api/v1/accounts/${admin.accountId}`)).status).toBe(404);
    expect((await auditTrail(t, admin.accountId)).at(-1)).toMatchObject({ action: 'member.left', target_id: member.userId });
  });

  it('lets a blocked member leave', async () => {
    const admin = await businessAdmin(t);
    const member = await invitedMember(t, admin);
    await admin.client.post(`${memberUrl(admin.accountId, member.userId)}/block`);
    expect((await member.client.post(`/api/v1/accounts/${admin.accountId}/leave`)).status).toBe(200);
    expect((await admin.client.get(`/api/v1/accounts/${admin.accountId}/members?status=blocked`)).body.items).toEqual([]);
  });

  it('keeps the only active administrator from leaving', async () => {
    const admin = await businessAdmin(t);
    await invitedMember(t, admin);
    const res = await admin.client.post(`/api/v1/accounts/${admin.accountId}/leave`);
    expect([res.status, res.body.error.code]).toEqual([409, 'last_admin']);
    expect(res.body.error.message).toMatch(/only active Account Administrator/);
  });
});

describe('personal accounts', () => {
  it('have no members to manage and cannot be left', async () => {
    const { client, userId } = await signedInUser(t, 'personal');
    const personal = await personalAccountId(client);
    const changes = [
      client.patch(memberUrl(personal, userId), { notes: 'me' }),
      client.post(`${memberUrl(personal, userId)}/block`),
      client.delete(memberUrl(personal, userId)),
      client.post(`/api/v1/accounts/${personal}/leave`),
    ];
    for (const res of await Promise.all(changes)) expect([res.status, res.body.error.code]).toEqual([409, 'personal_account']);
  });
});
