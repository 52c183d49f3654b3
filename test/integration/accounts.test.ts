import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, PASSWORD, createTestApp, signedInUser, uniqueEmail, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('sign up and sign in', () => {
  it('creates a personal account, emails a confirmation link and signs in', async () => {
    const email = uniqueEmail('ann');
    const c = t.client();
    const res = await c.post('/api/v1/signup', { email, firstName: 'Ann', lastName: 'Lee', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, firstName: 'Ann', lastName: 'Lee', emailVerified: false });
    const [mail] = await t.emailsTo(email);
    expect(mail?.subject).toBe('Confirm your email address');
    const token = /token=([\w-]+)/.exec(mail!.text)![1]!;
    expect((await c.post('/api/v1/email-verification', { token })).status).toBe(200);
    expect((await c.post('/api/v1/email-verification', { token })).body.error.code).toBe('user_token_invalid');

    const signed = await c.signIn(email.toUpperCase(), PASSWORD);
    expect(signed.status).toBe(201);
    const cookie = String(signed.headers['set-cookie']);
    expect(cookie).toMatch(/keyline_session=[^;]+;.*HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await c.get('/api/v1/me');
    expect(me.body.user.emailVerified).toBe(true);
    expect(me.body.accounts).toEqual([expect.objectContaining({ kind: 'personal', name: 'Ann Lee', role: 'admin' })]);
  });

  it('treats emails case-insensitively and refuses a second sign-up', async () => {
    const email = uniqueEmail('dup');
    const c = t.client();
    await c.post('/api/v1/signup', { email, firstName: 'A', lastName: 'B', password: PASSWORD });
    const again = await c.post('/api/v1/signup', { email: email.toUpperCase(), firstName: 'A', lastName: 'B', password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it('refuses short passwords with a clear message and creates nothing', async () => {
    const email = uniqueEmail('short');
    const res = await t.client().post('/api/v1/signup', { email, firstName: 'A', lastName: 'B', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.issues[0].path).toBe('password');
    expect(await t.emailsTo(email)).toHaveLength(0);
  });

  it('creates a business account at sign-up when the user represents a company', async () => {
    const { client, businessAccountId } = await signedInUser(t, 'rep', { company: ACME });
    expect(businessAccountId).toBeTruthy();
    const profile = await client.get(`/api/v1/accounts/${businessAccountId}`);
    expect(profile.body.account).toMatchObject({ kind: 'business', name: ACME.name, country: 'DE' });
    expect(profile.body.account.supportCode).toMatch(/^\d{5}-\d{5}$/);
  });

  it('rejects a wrong password without saying whether the email exists', async () => {
    const { email } = await signedInUser(t, 'pw');
    const wrong = await t.client().signIn(email, 'not the password');
    const unknown = await t.client().signIn(uniqueEmail('nobody'), 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('locks the user after five failures in a row, even with the right password, until the lock ends', async () => {
    const { email } = await signedInUser(t, 'lock');
    const c = t.client();
    for (let i = 0; i < 4; i++) expect((await c.signIn(email, 'wrong password')).status).toBe(401);
    const fifth = await c.signIn(email, 'wrong password');
    expect(fifth.status).toBe(423);
    expect(fifth.body.error.code).toBe('account_locked');
    expect((await c.signIn(email, PASSWORD)).status).toBe(423);
    t.clock.advanceSeconds(16 * 60);
    expect((await c.signIn(email, PASSWORD)).status).toBe(201);
  });

  it('rate-limits sign-in attempts per client address with Retry-After', async () => {
    const c = t.client('192.0.2.77');
    let last;
    for (let i = 0; i < 21; i++) last = await c.signIn(uniqueEmail('rl'), 'whatever password');
    expect(last!.status).toBe(429);
    expect(last!.body.error.code).toBe('rate_limited');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.client('192.0.2.78').signIn(uniqueEmail('rl'), 'whatever password')).status).toBe(401);
  });
});

describe('sessions and CSRF', () => {
  it('refuses unsafe requests from a cookie session without the CSRF token', async () => {
    const { client } = await signedInUser(t, 'csrf');
    const res = await client.request('PATCH', '/api/v1/me', { firstName: 'X' }, { 'x-csrf-token': 'forged' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
    expect((await client.get('/api/v1/me')).body.user.firstName).toBe('csrf');
  });

  it('checks the CSRF token of a signed-in browser on public routes too', async () => {
    const { client } = await signedInUser(t, 'csrfpub');
    const email = uniqueEmail('forged');
    const body = { email, firstName: 'F', lastName: 'G', password: PASSWORD };
    const res = await client.request('POST', '/api/v1/signup', body, { 'x-csrf-token': 'forged' });
    expect(res.body.error.code).toBe('csrf_failed');
    expect((await t.client().post('/api/v1/signup', body)).status).toBe(201);
  });

  it('signs out, lists and revokes sessions', async () => {
    const { client, email } = await signedInUser(t, 'sess');
    const other = t.client();
    await other.signIn(email, PASSWORD);
    const list = await client.get('/api/v1/sessions');
    expect(list.body.items).toHaveLength(2);
    const otherSession = list.body.items.find((s: { current: boolean }) => !s.current);
    expect((await client.delete(`/api/v1/sessions/${otherSession.id}`)).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await client.delete('/api/v1/sessions/current')).status).toBe(200);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('changing the password ends the other sessions and keeps this one', async () => {
    const { client, email } = await signedInUser(t, 'chpw');
    const other = t.client();
    await other.signIn(email, PASSWORD);
    const bad = await client.post('/api/v1/me/password', { currentPassword: 'nope nope', newPassword: 'another password' });
    expect(bad.body.error.code).toBe('invalid_credentials');
    const ok = await client.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'another password' });
    expect(ok.status).toBe(200);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await t.client().signIn(email, 'another password')).status).toBe(201);
    expect((await t.emailsTo(email))[0]?.template).toBe('password_changed');
  });
});

describe('password reset', () => {
  it('emails a single-use link that sets a new password and ends all sessions', async () => {
    const { client, email } = await signedInUser(t, 'reset');
    const anon = t.client();
    expect((await anon.post('/api/v1/password-resets', { email })).status).toBe(202);
    expect((await anon.post('/api/v1/password-resets', { email: uniqueEmail('ghost') })).status).toBe(202);
    const mail = (await t.emailsTo(email)).find((m) => m.template === 'password_reset')!;
    const token = /token=([\w-]+)/.exec(mail.text)![1]!;
    expect((await anon.post('/api/v1/password-resets/confirm', { token, password: 'brand new password' })).status).toBe(200);
    expect((await anon.post('/api/v1/password-resets/confirm', { token, password: 'third password!' })).body.error.code).toBe(
      'user_token_invalid',
    );
    expect((await client.get('/api/v1/me')).status).toBe(401);
    expect((await t.client().signIn(email, 'brand new password')).status).toBe(201);
  });

  it('expires reset links after 30 minutes', async () => {
    const { email } = await signedInUser(t, 'expire');
    await t.client().post('/api/v1/password-resets', { email });
    const mail = (await t.emailsTo(email)).find((m) => m.template === 'password_reset')!;
    const token = /token=([\w-]+)/.exec(mail.text)![1]!;
    t.clock.advanceSeconds(31 * 60);
    const res = await t.client().post('/api/v1/password-resets/confirm', { token, password: 'brand new password' });
    expect(res.status).toBe(410);
    expect((await t.client().signIn(email, PASSWORD)).status).toBe(201);
  });
});

describe('profile and API tokens', () => {
  it('edits the profile, and an API token works without CSRF until revoked', async () => {
    const { client } = await signedInUser(t, 'prof');
    const edited = await client.patch('/api/v1/me', { firstName: 'Renamed' });
    expect(edited.body.user.firstName).toBe('Renamed');
    const created = await client.post('/api/v1/me/api-tokens', { name: 'ci' });
    expect(created.status).toBe(201);
    const integration = t.client();
    integration.bearer = created.body.token;
    expect((await integration.patch('/api/v1/me', { lastName: 'ViaToken' })).status).toBe(200);
    expect((await client.delete(`/api/v1/me/api-tokens/${created.body.id}`)).status).toBe(200);
    const after = await integration.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('token_invalid');
  });
});

describe('business accounts', () => {
  it('validates country codes and states', async () => {
    const { client } = await signedInUser(t, 'biz');
    const badCountry = await client.post('/api/v1/accounts', { ...ACME, country: 'XX' });
    expect(badCountry.status).toBe(400);
    expect(badCountry.body.error.details.issues[0].path).toBe('country');
    const missingState = await client.post('/api/v1/accounts', { ...ACME, country: 'US' });
    expect(missingState.body.error.details.issues[0].path).toBe('state');
    const wrongState = await client.post('/api/v1/accounts', { ...ACME, country: 'US', state: 'ZZ' });
    expect(wrongState.status).toBe(400);
    const ok = await client.post('/api/v1/accounts', { ...ACME, country: 'us', state: 'ca' });
    expect(ok.status).toBe(201);
    expect(ok.body.account).toMatchObject({ country: 'US', state: 'US-CA' });
    const me = await client.get('/api/v1/me');
    expect(me.body.accounts.map((a: { kind: string }) => a.kind).sort()).toEqual(['business', 'personal']);
  });

  it('gives each business account a distinct support code', async () => {
    const { client } = await signedInUser(t, 'codes');
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) codes.add((await client.post('/api/v1/accounts', ACME)).body.account.supportCode);
    expect(codes.size).toBe(5);
  });

  it('lets administrators edit the company profile', async () => {
    const { client } = await signedInUser(t, 'edit');
    const { account } = (await client.post('/api/v1/accounts', ACME)).body;
    const res = await client.patch(`/api/v1/accounts/${account.id}`, { city: 'Hamburg', phone: '+49 40 555' });
    expect(res.body.account).toMatchObject({ city: 'Hamburg', phone: '+49 40 555' });
    const bad = await client.patch(`/api/v1/accounts/${account.id}`, { country: 'US' });
    expect(bad.status).toBe(400);
    expect((await client.get(`/api/v1/accounts/${account.id}`)).body.account.country).toBe('DE');
  });
});
