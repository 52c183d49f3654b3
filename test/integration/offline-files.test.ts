import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIn, offlineApply, offlineRequest, runAgentCommand, status } from '../../src/client/agent.js';
import { writeOfflineRequest } from '../../src/client/offline.js';
import { loadState, newIdentity } from '../../src/client/state.js';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { addDays } from '../../src/domain/clock.js';
import { armor, dearmor } from '../../src/domain/offline-file.js';
import { convertSubscription } from '../../src/services/editions/convert-subscription.js';
import { purgeOfflineNonces } from '../../src/services/licensing/purge-offline-nonces.js';
import { setAccountOfflineActivation } from '../../src/services/vendor/offline-activation.js';
import { createTestApp, signedInUser, type TestApp } from '../support/harness.js';
import { addSublicense, claimsOf } from '../support/installations.js';
import { operatorActor } from '../support/licensing.js';
import { offlineCustomer as offlineCustomerOf, offlineFingerprint } from '../support/offline.js';

let t: TestApp;
let dir: string;
let jwksFile: string;
beforeAll(async () => {
  t = await createTestApp();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-offline-'));
  jwksFile = path.join(dir, 'jwks.json');
  await fs.writeFile(jwksFile, JSON.stringify((await t.client().get('/.well-known/keyline/jwks.json')).body));
});
afterAll(async () => {
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
});

let files = 0;
const file = (name: string) => path.join(dir, `${++files}-${name}`);
const fingerprint = offlineFingerprint;

const offlineCustomer = (enabled = true) => offlineCustomerOf(t, enabled);

/** Writes a request as `keyline agent offline-request` does and returns its text. */
async function requestFile(state: string, opts: { kind: 'activation' | 'refresh' | 'deactivation'; key?: string; product?: string; fingerprint?: string }) {
  const result = await runAgentCommand(() => offlineRequest({ state, product: 'desktop-business', ...opts }));
  expect(result.exitCode).toBe(0);
  return result.data['file'] as string;
}

/** Applies an answer file as `keyline agent offline-apply` does. */
async function apply(state: string, text: string, jwks: string | null = jwksFile) {
  const answer = file('answer.txt');
  await fs.writeFile(answer, text);
  return runAgentCommand(() => offlineApply({ state, file: answer, jwks: jwks ?? undefined }));
}

/** An installation activated offline, its state file and the customer. */
async function activatedOffline() {
  const c = await offlineCustomer();
  const state = file('state.json');
  const res = await c.upload(await requestFile(state, { kind: 'activation', key: c.key, fingerprint: fingerprint() }));
  expect(res.status).toBe(200);
  expect((await apply(state, res.body.file)).exitCode).toBe(0);
  return { c, state, installationId: res.body.installationId as string };
}

/** What a refused upload must leave as it was. */
async function snapshot(accountId: string) {
  const { rows } = await sql<{ installations: number; active: number; nonces: number; audit: number; used: number }>`
    SELECT (SELECT count(*)::int FROM installations WHERE account_id = ${accountId}) AS installations,
           (SELECT count(*)::int FROM installations WHERE account_id = ${accountId} AND state = 'active') AS active,
           (SELECT count(*)::int FROM offline_nonces) AS nonces,
           (SELECT count(*)::int FROM audit_events WHERE account_id = ${accountId}) AS audit,
           (SELECT coalesce(sum(used), 0)::int FROM license_keys WHERE account_id = ${accountId}) AS used`.execute(t.deps.db);
  return rows[0]!;
}

async function expectRefused(c: { accountId: string; upload: (text: string) => Promise<{ status: number; body: any }> }, text: string, code: string) {
  const before = await snapshot(c.accountId);
  const res = await c.upload(text);
  expect([res.body.error?.code, res.body.error?.message]).toEqual([code, expect.any(String)]);
  expect(await snapshot(c.accountId)).toEqual(before);
}

/** Runs `keyline agent ...` as a script would. */
function agent(...args: string[]): Promise<{ code: number | null; json: any; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'agent', ...args], { cwd: path.resolve(import.meta.dirname, '../..') });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, json: stdout ? JSON.parse(stdout) : null, stderr })));
}

describe('offline activation', () => {
  it('goes round trip with the CLI and an API token: request, upload, apply, and the agent is licensed with no network', async () => {
    const c = await offlineCustomer();
    const state = file('state.json');
    const requestOut = file('activation-request.txt');
    const requested = await agent('offline-request', '--kind', 'activation', '--product', 'desktop-business', '--key', c.key, '--out', requestOut, '--state', state, '--fingerprint', fingerprint(), '--json');
    expect([requested.code, requested.stderr]).toEqual([0, '']);
    const text = await fs.readFile(requestOut, 'utf8');
    expect(text).toMatch(/^-----BEGIN KEYLINE ACTIVATION REQUEST-----\n(.{64}\n)+.{1,64}\n-----END KEYLINE ACTIVATION REQUEST-----\n$/);

    const token = (await c.client.post('/api/v1/me/api-tokens', { name: 'offline' })).body.token as string;
    const api = t.client();
    api.bearer = token;
    const uploaded = await c.upload(text, api);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toEqual({ kind: 'activation', installationId: expect.any(String), file: expect.stringContaining('-----BEGIN KEYLINE ACTIVATION-----'), fileName: expect.stringMatching(/\.txt$/) });
    expect(await c.seats()).toMatchObject({ used: 1, active: 1 });
    const row = await t.deps.db.selectFrom('installations').selectAll().where('id', '=', uploaded.body.installationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ offline: true, holds_seat: true, public_key: (await loadState(state))!.publicKey, activated_by: c.email });
    const audited = await c.client.get(`/api/v1/accounts/${c.accountId}/audit-events?targetType=installation`);
    expect(audited.body.items).toEqual([
      expect.objectContaining({ action: 'installation.offline_activated', actorEmail: c.email, targetId: uploaded.body.installationId, details: expect.objectContaining({ keyId: c.primaryKey.id, created: true }) }),
    ]);

    const answerFile = file('activation.txt');
    await fs.writeFile(answerFile, uploaded.body.file);
    const applied = await agent('offline-apply', answerFile, '--jwks', jwksFile, '--state', state, '--json');
    expect([applied.code, applied.json]).toEqual([0, expect.objectContaining({ ok: true, kind: 'activation', state: 'active', installationId: uploaded.body.installationId })]);
    const shown = await agent('status', '--state', state, '--json');
    expect([shown.code, shown.json]).toEqual([0, expect.objectContaining({ ok: true, verified: true, state: 'active', product: 'desktop-business' })]);

    // With no check-ins to renew it, the certificate runs to the license's end plus the expiry grace.
    const claims = claimsOf((await loadState(state))!.activation!.certificate);
    const grace = (await t.deps.db.selectFrom('products').select('params').where('code', '=', 'desktop-business').executeTakeFirstOrThrow()).params as { expiryGraceDays: number };
    expect(claims.exp).toBe(Math.floor(addDays(c.subscription.expires_at, grace.expiryGraceDays).getTime() / 1000));

    const again = await agent('offline-apply', answerFile, '--jwks', jwksFile, '--state', state, '--json');
    expect([again.code, again.json.error.code]).toEqual([3, 'file_replayed']);
  });

  it('needs the server keys to apply a file on a machine that never reached the server', async () => {
    const c = await offlineCustomer();
    const state = file('state.json');
    const res = await c.upload(await requestFile(state, { kind: 'activation', key: c.key, fingerprint: fingerprint() }));
    const noKeys = await apply(state, res.body.file, null);
    expect([noKeys.exitCode, noKeys.data]).toEqual([2, { error: expect.objectContaining({ code: 'usage' }) }]);
    const otherKeys = file('other-jwks.json');
    await fs.writeFile(otherKeys, JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: (await newIdentity('x'.repeat(16))).publicKey, kid: 'other', alg: 'EdDSA', use: 'sig' }] }));
    const forged = await apply(state, res.body.file, otherKeys);
    expect([forged.exitCode, (forged.data['error'] as { code: string }).code]).toEqual([3, 'file_signature_invalid']);
    expect((await loadState(state))!.activation).toBeNull();
  });

  it("is applied only by the machine that asked, and only for the request it wrote last", async () => {
    const c = await offlineCustomer();
    const state = file('state.json');
    const first = await c.upload(await requestFile(state, { kind: 'activation', key: c.key, fingerprint: fingerprint() }));
    const other = file('state.json');
    await requestFile(other, { kind: 'activation', key: c.key, fingerprint: fingerprint() });
    expect(((await apply(other, first.body.file)).data['error'] as { code: string }).code).toBe('file_wrong_installation');

    const second = await c.upload(await requestFile(state, { kind: 'activation', key: c.key }));
    expect(second.body.installationId).toBe(first.body.installationId);
    expect(((await apply(state, first.body.file)).data['error'] as { code: string }).code).toBe('file_replayed');
    expect((await apply(state, second.body.file)).exitCode).toBe(0);
    expect(await c.seats()).toMatchObject({ used: 1, active: 1 });
  });
});

describe('offline refresh', () => {
  it('brings the current subscription to the installation', async () => {
    const { c, state, installationId } = await activatedOffline();
    const renewedUntil = addDays(c.subscription.expires_at, 365);
    await t.deps.db.updateTable('subscriptions').set({ expires_at: renewedUntil }).where('id', '=', c.subscription.id).execute();

    const res = await c.upload(await requestFile(state, { kind: 'refresh' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'refresh', installationId, file: expect.stringContaining('BEGIN KEYLINE REFRESH-----') });
    const applied = await apply(state, res.body.file);
    expect([applied.exitCode, applied.data['licenseExpiresAt']]).toEqual([0, renewedUntil.toISOString()]);
    expect((await runAgentCommand(() => status({ state, offline: false }))).data).toMatchObject({ verified: true, licenseExpiresAt: renewedUntil.toISOString() });
    const online = await runAgentCommand(() => checkIn({ state }));
    expect([online.exitCode, online.data]).toEqual([2, { error: expect.objectContaining({ code: 'activated_offline' }) }]);
    expect(await c.seats()).toMatchObject({ used: 1, active: 1 });
  });

  it('refreshes an installation converted to Enterprise while offline, from a file that still names Business', async () => {
    const { c, state, installationId } = await activatedOffline();
    await convertSubscription(t.deps, await operatorActor(t), c.subscription.id);
    const res = await c.upload(await requestFile(state, { kind: 'refresh' }));
    expect([res.status, res.body.installationId]).toEqual([200, installationId]);
    const applied = await apply(state, res.body.file);
    expect([applied.exitCode, applied.data['product']]).toEqual([0, 'desktop-enterprise']);
    expect((await runAgentCommand(() => status({ state, offline: true }))).data).toMatchObject({ verified: true, product: 'desktop-enterprise' });
  });
});

describe('offline deactivation', () => {
  it('drops the license at once on the machine and frees the seat only when the file is uploaded', async () => {
    const { c, state, installationId } = await activatedOffline();
    const text = await requestFile(state, { kind: 'deactivation' });
    expect((await loadState(state))!.activation).toBeNull();
    expect((await runAgentCommand(() => status({ state, offline: true }))).exitCode).toBe(5);
    expect(await c.seats()).toMatchObject({ used: 1, active: 1 });

    const res = await c.upload(text);
    expect([res.status, res.body]).toEqual([200, { kind: 'deactivation', installationId }]);
    expect(await c.seats()).toMatchObject({ used: 0, active: 0 });
    await expectRefused(c, text, 'file_replayed');
  });
});

describe('refusals, each with its own code and changing nothing', () => {
  it('refuses a tampered, a truncated and a garbled file', async () => {
    const c = await offlineCustomer();
    const text = await requestFile(file('state.json'), { kind: 'activation', key: c.key, fingerprint: fingerprint() });
    const [h, p, s] = dearmor(text).content.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = armor('ACTIVATION REQUEST', [h, Buffer.from(JSON.stringify({ ...payload, name: 'someone else' })).toString('base64url'), s].join('.'));
    await expectRefused(c, tampered, 'file_signature_invalid');
    await expectRefused(c, text.slice(0, text.length / 2), 'file_malformed');
    await expectRefused(c, text.replace(/\n(.)(.)/, '\n$2$1'), 'file_malformed');
    await expectRefused(c, 'hello', 'file_malformed');
    expect((await c.upload(text)).status).toBe(200);
  });

  it('refuses a request older than 30 days, and a nonce used before', async () => {
    const c = await offlineCustomer();
    const identity = await newIdentity(fingerprint());
    const old = writeOfflineRequest(identity, { kind: 'activation-request', product: 'desktop-business', licenseKey: c.key, details: {} }, addDays(new Date(), -31)).text;
    await expectRefused(c, old, 'file_expired');
    const fresh = writeOfflineRequest(identity, { kind: 'activation-request', product: 'desktop-business', licenseKey: c.key, details: {} }).text;
    expect((await c.upload(fresh)).status).toBe(200);
    await expectRefused(c, fresh, 'file_replayed');
  });

  it('refuses a replayed activation file as a replay, whatever became of its installation since', async () => {
    const c = await offlineCustomer();
    const text = writeOfflineRequest(await newIdentity(fingerprint()), { kind: 'activation-request', product: 'desktop-business', licenseKey: c.key, details: {} }).text;
    const accepted = await c.upload(text);
    expect(accepted.status).toBe(200);
    const blacklisted = await c.client.post(`/api/v1/accounts/${c.accountId}/installations/actions`, { action: 'blacklist', installationIds: [accepted.body.installationId] });
    expect(blacklisted.body.results).toEqual([expect.objectContaining({ ok: true })]);
    await expectRefused(c, text, 'file_replayed');
  });

  it('forgets a nonce once its file can no longer come back, and not before', async () => {
    const c = await offlineCustomer();
    const text = writeOfflineRequest(await newIdentity(fingerprint()), { kind: 'activation-request', product: 'desktop-business', licenseKey: c.key, details: {} }, t.clock.now()).text;
    expect((await c.upload(text)).status).toBe(200);
    // An API token, as a script uploading files would use, outlasts the weeks the clock moves on.
    const script = t.client();
    script.bearer = (await c.client.post('/api/v1/me/api-tokens', { name: 'offline uploads' })).body.token;
    const uploader = { accountId: c.accountId, upload: (file: string) => c.upload(file, script) };
    const nonces = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM offline_nonces WHERE account_id = ${c.accountId}`.execute(t.deps.db)).rows[0]!.n;
    let moved = 0;
    const later = (days: number) => (t.clock.advanceDays(days), (moved += days));
    try {
      // On its 30th day the file is still good, so its nonce stays and a replay is refused as one.
      later(30);
      await purgeOfflineNonces(t.deps);
      expect(await nonces()).toBe(1);
      await expectRefused(uploader, text, 'file_replayed');
      // Past it, the nonce goes; the file is refused all the same, for its age.
      later(2);
      expect(await purgeOfflineNonces(t.deps)).toBeGreaterThanOrEqual(1);
      expect(await nonces()).toBe(0);
      await expectRefused(uploader, text, 'file_expired');
    } finally {
      t.clock.advanceDays(-moved);
    }
  });

  it('refuses a key for another product with the online rules', async () => {
    const c = await offlineCustomer();
    await expectRefused(c, await requestFile(file('state.json'), { kind: 'activation', key: c.key, product: 'ras', fingerprint: fingerprint() }), 'product_mismatch');
  });

  it("refuses another account's key or installation", async () => {
    const mine = await offlineCustomer();
    const theirs = await activatedOffline();
    await expectRefused(mine, await requestFile(file('state.json'), { kind: 'activation', key: theirs.c.key, fingerprint: fingerprint() }), 'file_wrong_account');
    await expectRefused(mine, await requestFile(theirs.state, { kind: 'refresh' }), 'file_wrong_account');
  });

  it('refuses a refresh or deactivation made by another machine than the one activated', async () => {
    const { c, installationId } = await activatedOffline();
    const impostor = await newIdentity(fingerprint());
    for (const kind of ['refresh-request', 'deactivation-request'] as const) {
      const text = writeOfflineRequest(impostor, { kind, product: 'desktop-business', installationId, details: {} }).text;
      await expectRefused(c, text, 'file_wrong_installation');
    }
    expect(await c.seats()).toMatchObject({ used: 1, active: 1 });
  });

  it('refuses everything until the vendor enables offline activation for the account', async () => {
    const c = await offlineCustomer(false);
    const text = await requestFile(file('state.json'), { kind: 'activation', key: c.key, fingerprint: fingerprint() });
    await expectRefused(c, text, 'offline_not_enabled');
    await setAccountOfflineActivation(t.deps, await operatorActor(t), c.accountId, true);
    expect((await c.upload(text)).status).toBe(200);
  });
});

describe('a License Administrator', () => {
  it('uploads files for the keys granted to them only', async () => {
    const c = await offlineCustomer();
    const mine = await addSublicense(t.deps.db, c, c.items[0]!.id, 'dynamic', 2);
    const lead = await signedInUser(t, 'lab-lead');
    await insertMembership(t.deps.db, { accountId: c.accountId, userId: lead.userId, role: 'member' });
    const base = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}`;
    expect((await c.client.request('PUT', `${base}/keys/${mine.id}/admins/${lead.userId}`)).status).toBe(200);

    const granted = await c.upload(await requestFile(file('state.json'), { kind: 'activation', key: mine.key, fingerprint: fingerprint() }), lead.client);
    expect([granted.status, granted.body.kind]).toEqual([200, 'activation']);
    await expectRefused({ ...c, upload: (text) => c.upload(text, lead.client) }, await requestFile(file('state.json'), { kind: 'activation', key: c.key, fingerprint: fingerprint() }), 'not_found');
    const primaryState = file('state.json');
    const activated = await c.upload(await requestFile(primaryState, { kind: 'activation', key: c.key, fingerprint: fingerprint() }));
    expect((await apply(primaryState, activated.body.file)).exitCode).toBe(0);
    await expectRefused({ ...c, upload: (text) => c.upload(text, lead.client) }, await requestFile(primaryState, { kind: 'deactivation' }), 'not_found');
  });
});
