import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvitationByTokenHash } from '../../src/data/repositories/invitations.js';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { hashSecret } from '../../src/services/security/secrets.js';
import { testEngine } from '../support/database.js';
import { ACME, PASSWORD, createTestApp, signedInUser, uniqueEmail, type ApiClient, type TestApp } from '../support/harness.js';
import { auditTrail, businessAdmin, invitationToken, invitedMember, overlapping } from '../support/members.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const invite = (client: ApiClient, accountId: string, emails: string[], options: Record<string, unknown> = {}) =>
  client.post(`/api/v1/accounts/${accountId}/invitations`, { emails, ...options });

const uploadCsv = (client: ApiClient, accountId: string, csv: string, query = '') =>
  client.request('POST', `/api/v1/accounts/${accountId}/invitations/csv${query}`, csv, { 'content-type': 'text/csv' });

const listInvitations = (client: ApiClient, accountId: string, query = '') => client.get(`/api/v1/accounts/${accountId}/invitations${query}`);

describe('inviting members', () => {
  it('invites several addresses at once and says why the others were skipped', async () => {
    const admin = await businessAdmin(t);
    const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')];
    const res = await invite(admin.client, admin.accountId, [ann, bob, ann.toUpperCase(), admin.email]);
    expect(res.status).toBe(201);
    expect(res.body.invited).toEqual([
      expect.objectContaining({ email: ann, role: 'member', language: 'en', state: 'pending', invitedBy: admin.email, sentCount: 1, acceptedAt: null }),
      expect.objectContaining({ email: bob, state: 'pending' }),
    ]);
    expect(res.body.skipped).toEqual([
      { email: ann.toUpperCase(), reason: 'duplicate' },
      { email: admin.email, reason: 'already_member' },
    ]);

    const again = await invite(admin.client, admin.accountId, [bob.toUpperCase()]);
    expect(again.body).toEqual({ invited: [], skipped: [{ email: bob.toUpperCase(), reason: 'already_invited' }], rejectedRows: [] });

    const [mail] = await t.emailsTo(ann);
    expect(mail?.subject).toBe(`admin Tester invited you to join ${ACME.name}`);
    expect(mail?.text).toMatch(/http:\/\/keyline\.test\/join\?token=ki_[\w-]+/);
    const actions = (await auditTrail(t, admin.accountId)).filter((e) => e.action === 'invitation.created');
    expect(actions.map((e) => e.details['email'])).toEqual([ann, bob]);
  });

  it('reports typed entries that are no address by position, in words, and invites the others', async () => {
    const admin = await businessAdmin(t);
    const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')];
    const res = await invite(admin.client, admin.accountId, [ann, 'erin@', bob, ' ']);
    expect(res.status).toBe(201);
    expect(res.body.invited.map((i: { email: string }) => i.email)).toEqual([ann, bob]);
    expect(res.body.rejectedRows).toEqual([
      { line: 2, value: 'erin@', message: 'is not an email address' },
      { line: 4, value: '', message: 'has no email address' },
    ]);
    expect(await t.emailsTo(bob)).toHaveLength(1);
  });

  it('writes the invitation in the language chosen for it', async () => {
    const admin = await businessAdmin(t);
    const subjects = { de: 'hat Sie zu', fr: 'vous invite à rejoindre', es: 'le invita a unirse a' };
    for (const [language, words] of Object.entries(subjects)) {
      const email = uniqueEmail(language);
      expect((await invite(admin.client, admin.accountId, [email], { language })).body.invited[0].language).toBe(language);
      expect((await t.emailsTo(email))[0]?.subject).toContain(words);
    }
  });

  it('refuses an inviter whose own email address is not confirmed', async () => {
    const email = uniqueEmail('unconfirmed');
    const client = t.client();
    await client.post('/api/v1/signup', { email, firstName: 'Un', lastName: 'Confirmed', password: PASSWORD, company: ACME });
    await client.signIn(email, PASSWORD);
    const accountId = (await client.get('/api/v1/me')).body.accounts.find((a: { kind: string }) => a.kind === 'business').id;
    const invitee = uniqueEmail('invitee');
    const res = await invite(client, accountId, [invitee]);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('email_not_verified');
    expect(await t.emailsTo(invitee)).toHaveLength(0);
  });

  it('refuses invitations into a personal account', async () => {
    const { client } = await signedInUser(t, 'solo');
    const personal = (await client.get('/api/v1/me')).body.accounts[0];
    const res = await invite(client, personal.id, [uniqueEmail('friend')]);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('personal_account');
  });

  it('leaves invitations to administrators', async () => {
    const admin = await businessAdmin(t);
    const member = await invitedMember(t, admin);
    const sent = await invite(member.client, admin.accountId, [uniqueEmail('x')]);
    expect([sent.status, sent.body.error.code]).toEqual([403, 'forbidden']);
    expect((await listInvitations(member.client, admin.accountId)).body.error.code).toBe('forbidden');
  });
});

describe('inviting from a CSV file', () => {
  it('reads the column headed email and applies the role and language chosen', async () => {
    const admin = await businessAdmin(t);
    const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')];
    const res = await uploadCsv(admin.client, admin.accountId, `Name,Email\nAnn,${ann}\nBob,${bob}\n`, '?role=admin&language=fr&expiresInDays=30');
    expect(res.status).toBe(201);
    expect(res.body.invited.map((i: { email: string }) => i.email)).toEqual([ann, bob]);
    expect(res.body.invited[0]).toMatchObject({ role: 'admin', language: 'fr' });
    expect(new Date(res.body.invited[0].expiresAt).getTime() - t.clock.now().getTime()).toBe(30 * 86_400_000);
    expect(res.body.rejectedRows).toEqual([]);
    expect((await t.emailsTo(bob))[0]?.subject).toContain('vous invite à rejoindre');
  });

  it('takes the first column of a file without a header row', async () => {
    const admin = await businessAdmin(t);
    const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')];
    const res = await uploadCsv(admin.client, admin.accountId, `${ann},Ann\n${bob},Bob\n`);
    expect(res.body.invited.map((i: { email: string }) => i.email)).toEqual([ann, bob]);
  });

  it('reports bad rows by line and invites the good ones', async () => {
    const admin = await businessAdmin(t);
    const ann = uniqueEmail('ann');
    const res = await uploadCsv(admin.client, admin.accountId, `email\n${ann}\nnot-an-email\n\n,Bob\n${ann}\n`);
    expect(res.status).toBe(201);
    expect(res.body.invited.map((i: { email: string }) => i.email)).toEqual([ann]);
    expect(res.body.skipped).toEqual([{ email: ann, reason: 'duplicate' }]);
    expect(res.body.rejectedRows).toEqual([
      { line: 3, value: 'not-an-email', message: 'is not an email address' },
      { line: 5, value: '', message: 'has no email address' },
    ]);
  });

  it('refuses a file with no address to invite and changes nothing', async () => {
    const admin = await businessAdmin(t);
    const res = await uploadCsv(admin.client, admin.accountId, 'email\nnobody\nstill nobody\n');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('csv_invalid');
    expect(res.body.error.details.rejectedRows).toHaveLength(2);
    expect((await listInvitations(admin.client, admin.accountId)).body.items).toEqual([]);
  });
});

describe('listing, resending and revoking invitations', () => {
  it('lists newest first, page by page, and by state', async () => {
    const admin = await businessAdmin(t);
    const emails = [uniqueEmail('first'), uniqueEmail('second'), uniqueEmail('third')];
    for (const email of emails) {
      await invite(admin.client, admin.accountId, [email], { expiresInDays: email === emails[0] ? 1 : 14 });
      t.clock.advanceSeconds(60);
    }
    const first = await listInvitations(admin.client, admin.accountId, '?limit=2');
    expect(first.body.items.map((i: { email: string }) => i.email)).toEqual([emails[2], emails[1]]);
    const second = await listInvitations(admin.client, admin.accountId, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ email: emails[0] })], nextCursor: null });

    await admin.client.delete(`/api/v1/accounts/${admin.accountId}/invitations/${first.body.items[1].id}`);
    t.clock.advanceDays(2);
    const emailsIn = async (state: string) =>
      (await listInvitations(admin.client, admin.accountId, `?state=${state}`)).body.items.map((i: { email: string }) => i.email);
    expect(await emailsIn('pending')).toEqual([emails[2]]);
    expect(await emailsIn('revoked')).toEqual([emails[1]]);
    expect(await emailsIn('expired')).toEqual([emails[0]]);
    expect(await emailsIn('accepted')).toEqual([]);

    const bad = await listInvitations(admin.client, admin.accountId, '?cursor=garbage');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('expires a link, and a new invitation can replace the expired one', async () => {
    const admin = await businessAdmin(t);
    const email = uniqueEmail('late');
    await invite(admin.client, admin.accountId, [email], { expiresInDays: 3 });
    const token = await invitationToken(t, email);
    t.clock.advanceDays(4);
    const preview = await t.client().get(`/api/v1/invitations/${token}`);
    expect([preview.status, preview.body.error.code]).toEqual([410, 'invitation_expired']);
    const accept = await t.client().post(`/api/v1/invitations/${token}/accept`, { firstName: 'Late', lastName: 'Comer', password: PASSWORD });
    expect(accept.body.error.code).toBe('invitation_expired');

    const again = await invite(admin.client, admin.accountId, [email]);
    expect(again.body.invited).toHaveLength(1);
    expect((await t.client().get(`/api/v1/invitations/${await invitationToken(t, email)}`)).status).toBe(200);
  });

  it('resends with a new link that replaces the old one, renewing an expired invitation', async () => {
    const admin = await businessAdmin(t);
    const email = uniqueEmail('resend');
    const { id } = (await invite(admin.client, admin.accountId, [email], { expiresInDays: 3 })).body.invited[0];
    const oldToken = await invitationToken(t, email);
    t.clock.advanceDays(4);

    const res = await admin.client.post(`/api/v1/accounts/${admin.accountId}/invitations/${id}/resend`);
    expect(res.status).toBe(200);
    expect(res.body.invitation).toMatchObject({ state: 'pending', sentCount: 2 });
    expect(new Date(res.body.invitation.expiresAt).getTime()).toBe(t.clock.now().getTime() + 3 * 86_400_000);
    expect(await t.emailsTo(email)).toHaveLength(2);

    const old = await t.client().get(`/api/v1/invitations/${oldToken}`);
    expect([old.status, old.body.error.code]).toEqual([410, 'invitation_invalid']);
    expect((await t.client().get(`/api/v1/invitations/${await invitationToken(t, email)}`)).status).toBe(200);
    expect((await auditTrail(t, admin.accountId)).map((e) => e.action)).toContain('invitation.resent');
  });

  it('revokes an invitation so its link stops working', async () => {
    const admin = await businessAdmin(t);
    const email = uniqueEmail('revoked');
    const { id } = (await invite(admin.client, admin.accountId, [email])).body.invited[0];
    const token = await invitationToken(t, email);
    const url = `/api/v1/accounts/${admin.accountId}/invitations/${id}`;

    const res = await admin.client.delete(url);
    expect([res.status, res.body.invitation.state]).toEqual([200, 'revoked']);
    expect((await t.client().get(`/api/v1/invitations/${token}`)).body.error.code).toBe('invitation_invalid');
    expect((await admin.client.delete(url)).body.error.code).toBe('invitation_invalid');
    expect((await admin.client.post(`${url}/resend`)).body.error.code).toBe('invitation_invalid');
  });
});

describe('accepting an invitation', () => {
  it('shows the join page what the link offers', async () => {
    const admin = await businessAdmin(t);
    const newcomer = uniqueEmail('newcomer');
    const existing = await signedInUser(t, 'existing');
    await invite(admin.client, admin.accountId, [newcomer, existing.email], { role: 'admin' });
    const res = await t.client().get(`/api/v1/invitations/${await invitationToken(t, newcomer)}`);
    expect(res.body).toMatchObject({ accountName: ACME.name, email: newcomer, role: 'admin', existingUser: false });
    expect((await t.client().get(`/api/v1/invitations/${await invitationToken(t, existing.email)}`)).body.existingUser).toBe(true);
    expect((await t.client().get('/api/v1/invitations/ki_unknown_token_123')).body.error.code).toBe('invitation_invalid');
  });

  it('lets a signed-in user with the invited address join', async () => {
    const admin = await businessAdmin(t);
    const user = await signedInUser(t, 'joiner');
    await invite(admin.client, admin.accountId, [user.email], { role: 'admin' });
    const res = await user.client.post(`/api/v1/invitations/${await invitationToken(t, user.email)}/accept`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accountId: admin.accountId, role: 'admin', user: { email: user.email }, csrfToken: null });
    const me = await user.client.get('/api/v1/me');
    expect(me.body.accounts).toContainEqual(expect.objectContaining({ id: admin.accountId, role: 'admin', status: 'active' }));
    const [invitation] = (await listInvitations(admin.client, admin.accountId)).body.items;
    expect(invitation).toMatchObject({ state: 'accepted', acceptedAt: expect.any(String) });
    const trail = await auditTrail(t, admin.accountId);
    expect(trail.slice(-2)).toEqual([
      expect.objectContaining({ action: 'invitation.accepted', target_id: invitation.id, actor_email: user.email }),
      expect.objectContaining({ action: 'member.joined', target_id: user.userId, details: { role: 'admin' } }),
    ]);
  });

  it('lets an existing user join with their password and signs them in', async () => {
    const admin = await businessAdmin(t);
    const { email } = await signedInUser(t, 'returning');
    await invite(admin.client, admin.accountId, [email]);
    const token = await invitationToken(t, email);
    const browser = t.client();

    const wrong = await browser.post(`/api/v1/invitations/${token}/accept`, { password: 'not my password' });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'invalid_credentials']);
    const res = await browser.post(`/api/v1/invitations/${token}/accept`, { password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.csrfToken).toEqual(expect.any(String));
    expect(browser.hasSession()).toBe(true);
    browser.csrfToken = res.body.csrfToken;
    expect((await browser.get(`/api/v1/accounts/${admin.accountId}`)).body.membership).toEqual({ role: 'member', status: 'active' });
  });

  it('makes a new user with the invited address, who can then sign in', async () => {
    const admin = await businessAdmin(t);
    const email = uniqueEmail('brandnew');
    await invite(admin.client, admin.accountId, [email]);
    const token = await invitationToken(t, email);

    const short = await t.client().post(`/api/v1/invitations/${token}/accept`, { firstName: 'New', lastName: 'Comer', password: 'short' });
    expect(short.body.error.details.issues[0].path).toBe('password');
    const nameless = await t.client().post(`/api/v1/invitations/${token}/accept`, { password: 'long enough password' });
    expect(nameless.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['firstName', 'lastName']);

    const res = await t.client().post(`/api/v1/invitations/${token}/accept`, { firstName: 'New', lastName: 'Comer', password: 'brand new password' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email, firstName: 'New', emailVerified: true });

    const later = t.client();
    expect((await later.signIn(email, 'brand new password')).status).toBe(201);
    const me = await later.get('/api/v1/me');
    expect(me.body.accounts).toEqual([
      expect.objectContaining({ kind: 'personal', name: 'New Comer', role: 'admin' }),
      expect.objectContaining({ id: admin.accountId, kind: 'business', role: 'member' }),
    ]);
  });

  it('refuses a signed-in user whose address is not the invited one', async () => {
    const admin = await businessAdmin(t);
    const invitee = uniqueEmail('invitee');
    await invite(admin.client, admin.accountId, [invitee]);
    const other = await signedInUser(t, 'other');
    const res = await other.client.post(`/api/v1/invitations/${await invitationToken(t, invitee)}/accept`, {});
    expect([res.status, res.body.error.code]).toEqual([403, 'invitation_email_mismatch']);
    expect((await other.client.get(`/api/v1/accounts/${admin.accountId}`)).status).toBe(404);
  });

  it('works once only', async () => {
    const admin = await businessAdmin(t);
    const user = await signedInUser(t, 'once');
    await invite(admin.client, admin.accountId, [user.email]);
    const url = `/api/v1/invitations/${await invitationToken(t, user.email)}/accept`;
    expect((await user.client.post(url, {})).status).toBe(200);
    const again = await t.client().post(url, { password: PASSWORD });
    expect([again.status, again.body.error.code]).toEqual([410, 'invitation_invalid']);
  });

  it.runIf(testEngine() === 'postgres')('works once only when used twice at the same moment', async () => {
    const admin = await businessAdmin(t);
    const user = await signedInUser(t, 'twice');
    await invite(admin.client, admin.accountId, [user.email]);
    const token = await invitationToken(t, user.email);
    const url = `/api/v1/invitations/${token}/accept`;
    const answers = await overlapping(
      t,
      (trx) => findInvitationByTokenHash(trx, hashSecret(token), { lock: true }),
      () => [user.client.post(url, {}), t.client().post(url, { password: PASSWORD })],
    );
    expect(answers.map((a) => a.body.error?.code ?? a.status).sort()).toEqual([200, 'invitation_invalid']);
  });

  it('refuses someone who is already a member', async () => {
    const admin = await businessAdmin(t);
    const user = await signedInUser(t, 'already');
    await invite(admin.client, admin.accountId, [user.email]);
    await insertMembership(t.deps.db, { accountId: admin.accountId, userId: user.userId, role: 'member' });
    const res = await user.client.post(`/api/v1/invitations/${await invitationToken(t, user.email)}/accept`, {});
    expect([res.status, res.body.error.code]).toEqual([409, 'already_member']);
  });
});
