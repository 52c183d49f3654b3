import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCertificate, type AgentState } from '../../src/client/index.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { asInstallation, counters, registeredOrder } from '../support/installations.js';
import { customerWithSubscription, operatorActor } from '../support/licensing.js';
import { convertSubscription } from '../../src/services/editions/convert-subscription.js';

let t: TestApp;
let server: string;
let dir: string;
beforeAll(async () => {
  t = await createTestApp();
  server = await t.app.listen({ host: '127.0.0.1', port: 0 });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-agent-'));
});
afterAll(async () => {
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

/** Runs `keyline agent ...` as a script would. */
function agent(...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'agent', ...args], { cwd: path.resolve(import.meta.dirname, '../..') });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      let json: unknown = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        // text output
      }
      resolve({ code, stdout, stderr, json });
    }),
  );
}

let files = 0;
const stateFile = () => path.join(dir, `state-${++files}.json`);
const readState = async (file: string) => JSON.parse(await fs.readFile(file, 'utf8')) as AgentState;

describe('keyline agent', () => {
  it('activates, shows the status online and offline, checks in and deactivates', async () => {
    const order = await registeredOrder(t);
    const state = stateFile();

    const activated = await agent('activate', '--server', server, '--product', 'desktop-business', '--key', order.key, '--name', 'build-agent-7', '--state', state, '--json');
    expect([activated.code, activated.stderr]).toEqual([0, '']);
    expect(activated.json).toMatchObject({ ok: true, created: true, product: 'desktop-business', state: 'active', seats: 1, installationId: expect.any(String) });
    const kept = await readState(state);
    expect(kept).toMatchObject({ version: 1, fingerprint: expect.any(String), publicKey: expect.any(String), privateKeyPem: expect.stringContaining('PRIVATE KEY') });
    expect(kept.activation).toMatchObject({ server, product: 'desktop-business', installationId: activated.json.installationId, installationToken: expect.stringMatching(/^kli_/) });
    expect(verifyCertificate(kept.activation!.certificate, kept.activation!.jwks, { installationId: activated.json.installationId }).ok).toBe(true);
    expect((await fs.stat(state)).mode & 0o777).toBe(0o600);
    const row = await t.deps.db.selectFrom('installations').selectAll().where('id', '=', activated.json.installationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'build-agent-7', fingerprint: kept.fingerprint, public_key: kept.publicKey, hardware: { cpuArch: os.arch() } });

    const online = await agent('status', '--state', state, '--json');
    expect([online.code, online.json]).toEqual([0, expect.objectContaining({ ok: true, total: 10, used: 1, remaining: 9, state: 'active', warnings: [] })]);
    const text = await agent('status', '--state', state);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/state:\s+active/);
    expect(text.stdout).toMatch(/seats:\s+1 used of 10, 9 remaining/);

    const checkedIn = await agent('check-in', '--state', state, '--json');
    expect(checkedIn.code).toBe(0);
    expect(checkedIn.json).toMatchObject({ ok: true, action: 'none', state: 'active', warnings: [] });
    expect((await readState(state)).activation!.certificate).not.toBe(kept.activation!.certificate);

    const deactivated = await agent('deactivate', '--state', state, '--json');
    expect([deactivated.code, deactivated.json]).toEqual([0, { ok: true, installationId: activated.json.installationId, state: 'deactivated' }]);
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toMatchObject({ used: 0, active: 0 });
    const after = await agent('status', '--state', state, '--json');
    expect([after.code, after.json.error.code]).toEqual([5, 'not_activated']);
    expect((await readState(state)).fingerprint).toBe(kept.fingerprint);
  });

  it("keeps the key's configuration profile, reports it at check-in and shows the new version once it arrives", async () => {
    const c = await customerWithSubscription(t);
    const base = `/api/v1/accounts/${c.accountId}`;
    const key = (await c.client.post(`${base}/subscriptions/${c.subscription.id}/keys`, { itemId: c.items[0]!.id, name: 'Design', kind: 'dynamic', quota: 2, expiresAt: null })).body.key;
    const payloads = (allowed: boolean) => [{ type: 'major_upgrades', enabled: true, settings: { allowed } }];
    const profile = (await c.client.post(`${base}/configuration-profiles`, { name: 'Engineering', product: 'desktop-business', payloads: payloads(true) })).body.profile;
    await c.client.put(`${base}/subscriptions/${c.subscription.id}/keys/${key.id}/configuration-profile`, { profileId: profile.id });
    const state = stateFile();
    expect((await agent('activate', '--server', server, '--product', 'desktop-business', '--key', key.key, '--state', state)).code).toBe(0);
    expect((await readState(state)).activation!.profile).toMatchObject({ id: profile.id, version: 1, hash: profile.hash });
    const status = await agent('status', '--state', state);
    expect(status.stdout).toMatch(/profile:\s+Engineering, version 1\n/);
    expect(status.stdout).toMatch(/payload:\s+major_upgrades: allowed=true/);

    const unchanged = await agent('check-in', '--state', state, '--json');
    expect(unchanged.json).toMatchObject({ ok: true, profileReceived: false });
    await c.client.put(`${base}/configuration-profiles/${profile.id}`, { name: 'Engineering', payloads: payloads(false) });
    const changed = await agent('check-in', '--state', state);
    expect(changed.stdout).toMatch(/profile received: Engineering, version 2/);
    const offline = await agent('status', '--offline', '--state', state, '--json');
    expect(offline.json.profile).toMatchObject({ name: 'Engineering', version: 2, payloads: [{ type: 'major_upgrades', settings: { allowed: false } }] });
    const row = await t.deps.db.selectFrom('installations').select('applied_profile_hash').where('license_key_id', '=', key.id).executeTakeFirstOrThrow();
    expect(row.applied_profile_hash).toBe(profile.hash);
    expect((await agent('check-in', '--state', state, '--json')).json.profileReceived).toBe(false);
    const applied = await t.deps.db.selectFrom('installations').select('applied_profile_hash').where('license_key_id', '=', key.id).executeTakeFirstOrThrow();
    expect(applied.applied_profile_hash).toBe(offline.json.profile.hash);
  });

  it("shows the policy of its user group over the key's profile, and the policy's new version once it arrives", async () => {
    const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-enterprise', licenseType: null, quantity: 5 }] });
    const base = `/api/v1/accounts/${c.accountId}`;
    const upgrades = (allowed: boolean) => ({ type: 'major_upgrades', enabled: true, settings: { allowed } });
    const policy = (await c.client.post(`${base}/policies`, { name: 'Frozen', product: 'desktop-enterprise', payloads: [upgrades(false)] })).body.policy;
    const group = (await c.client.post(`${base}/user-groups`, { subscriptionId: c.subscription.id, name: 'Finance', quota: 2, policyId: policy.id })).body.group;
    const profile = (await c.client.post(`${base}/configuration-profiles`, { name: 'Everyone', product: 'desktop-enterprise', payloads: [upgrades(true)] })).body.profile;
    await c.client.put(`${base}/subscriptions/${c.subscription.id}/keys/${group.sublicense.id}/configuration-profile`, { profileId: profile.id });
    const state = stateFile();
    expect((await agent('activate', '--server', server, '--product', 'desktop-enterprise', '--key', group.sublicense.key, '--state', state)).code).toBe(0);
    const status = await agent('status', '--state', state);
    expect(status.stdout).toMatch(/profile:\s+Everyone, version 1\npolicy:\s+Frozen, version 1 \(user group policy\)\n/);
    expect(status.stdout).toMatch(/payload:\s+major_upgrades: allowed=false/);

    await c.client.put(`${base}/policies/${policy.id}`, { name: 'Frozen', payloads: [upgrades(true), { type: 'updates', enabled: true, settings: { branch: 'beta' } }] });
    const changed = await agent('check-in', '--state', state);
    expect(changed.stdout).toMatch(/profile received: Everyone, version 1, policy Frozen version 2/);
    const offline = await agent('status', '--offline', '--state', state, '--json');
    expect(offline.json.profile).toMatchObject({
      name: 'Everyone',
      policies: [{ kind: 'group_policy', id: policy.id, name: 'Frozen', version: 2 }],
      payloads: [{ type: 'major_upgrades', settings: { allowed: true } }, { type: 'updates', settings: { branch: 'beta' } }],
    });

    // A key outside any group shows that it has no policy.
    const plain = stateFile();
    expect((await agent('activate', '--server', server, '--product', 'desktop-enterprise', '--key', c.key, '--state', plain)).code).toBe(0);
    expect((await agent('status', '--state', plain)).stdout).toMatch(/profile:\s+Default, version 1 \(built in\)\npolicies:\s+none\n/);
  });

  it('runs as Enterprise once its Business subscription is converted: the next check-in brings the new edition, and status shows it', async () => {
    const order = await registeredOrder(t);
    const state = stateFile();
    expect((await agent('activate', '--server', server, '--product', 'desktop-business', '--key', order.key, '--state', state)).code).toBe(0);
    await convertSubscription(t.deps, await operatorActor(t), order.subscription.id);
    const checkedIn = await agent('check-in', '--state', state, '--json');
    expect([checkedIn.code, checkedIn.stderr]).toEqual([0, '']);
    expect(checkedIn.json).toMatchObject({ ok: true, product: 'desktop-enterprise', state: 'active' });
    expect((await readState(state)).activation).toMatchObject({ product: 'desktop-enterprise' });
    const status = await agent('status', '--state', state);
    expect(status.stdout).toMatch(/product:\s+desktop-enterprise/);
    expect((await agent('status', '--offline', '--state', state, '--json')).json).toMatchObject({ ok: true, product: 'desktop-enterprise', verified: true });
  });

  it('update-license applies what the portal left pending at once: a move, then a deactivation', async () => {
    const c = await customerWithSubscription(t);
    const base = `/api/v1/accounts/${c.accountId}`;
    const target = (await c.client.post(`${base}/subscriptions/${c.subscription.id}/keys`, { itemId: c.items[0]!.id, name: 'Lab', kind: 'reserved', quota: 2, expiresAt: null })).body.key;
    const state = stateFile();
    const activated = await agent('activate', '--server', server, '--product', 'desktop-business', '--key', c.key, '--state', state, '--json');
    const id = activated.json.installationId;
    const nothing = await agent('update-license', '--state', state, '--json');
    expect([nothing.code, nothing.json]).toEqual([0, expect.objectContaining({ ok: true, status: 'unchanged', action: 'none', keyId: c.primaryKey.id })]);

    expect((await c.client.post(`${base}/installations/actions`, { action: 'move', installationIds: [id], targetKeyId: target.id })).status).toBe(200);
    const moved = await agent('update-license', '--state', state, '--json');
    expect([moved.code, moved.json]).toEqual([0, expect.objectContaining({ ok: true, status: 'moved', action: 'reactivate', keyId: target.id, state: 'active' })]);
    expect(await counters(t.deps.db, target.id, c.items[0]!.id)).toMatchObject({ used: 1, active: 1 });

    expect((await c.client.post(`${base}/installations/actions`, { action: 'deactivate', installationIds: [id] })).status).toBe(200);
    const text = await agent('update-license', '--state', state);
    expect([text.code, text.stdout.trim()]).toEqual([5, 'License updated: the portal deactivated this installation; its license is removed here.']);
    expect((await readState(state)).activation).toBeNull();
    expect(await counters(t.deps.db, target.id, c.items[0]!.id)).toMatchObject({ used: 0, active: 0 });
    const details = await c.client.get(`${base}/installations/${id}`);
    expect(details.body.general).toMatchObject({ state: 'deactivated', pendingAction: null });
  });

  it('update-license forgets an activation the portal blacklisted', async () => {
    const c = await customerWithSubscription(t);
    const state = stateFile();
    const activated = await agent('activate', '--server', server, '--product', 'desktop-business', '--key', c.key, '--state', state, '--json');
    await c.client.post(`/api/v1/accounts/${c.accountId}/installations/actions`, { action: 'blacklist', installationIds: [activated.json.installationId] });
    const res = await agent('update-license', '--state', state, '--json');
    expect([res.code, res.json]).toEqual([5, { ok: true, status: 'deactivated', installationId: activated.json.installationId, reason: 'installation_deactivated' }]);
    expect((await readState(state)).activation).toBeNull();
  });

  it('verifies the stored certificate with no network, and says when the server cannot be reached', async () => {
    const order = await registeredOrder(t);
    const state = stateFile();
    expect((await agent('activate', '--server', server, '--product', 'desktop-business', '--key', order.key, '--state', state, '--fingerprint', 'offline-test-machine-1')).code).toBe(0);
    const saved = await readState(state);
    await fs.writeFile(state, JSON.stringify({ ...saved, activation: { ...saved.activation, server: 'http://127.0.0.1:9' } }));

    const offline = await agent('status', '--offline', '--state', state, '--json');
    expect([offline.code, offline.json]).toEqual([0, expect.objectContaining({ ok: true, verified: true, state: 'active', product: 'desktop-business' })]);
    const unreachable = await agent('check-in', '--state', state, '--json');
    expect([unreachable.code, unreachable.json.error.code]).toEqual([4, 'server_unreachable']);

    const [header, payload, signature] = saved.activation!.certificate.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, lic: { ...claims.lic, seats: 99 } })).toString('base64url'), signature].join('.');
    await fs.writeFile(state, JSON.stringify({ ...saved, activation: { ...saved.activation, certificate: forged } }));
    const tampered = await agent('status', '--offline', '--state', state, '--json');
    expect([tampered.code, tampered.json.error.code]).toEqual([5, 'certificate_bad_signature']);
  });

  it('exits 5 when a certificate has expired, whether just received or kept in the state file', async () => {
    const order = await registeredOrder(t);
    const state = stateFile();
    expect((await agent('activate', '--server', server, '--product', 'desktop-business', '--key', order.key, '--state', state)).code).toBe(0);
    const saved = await readState(state);
    // With the server's clock set back a month, what it signs has long expired by the agent's clock.
    t.clock.advanceDays(-30);
    try {
      const old = await asInstallation(t, saved.activation!.installationToken!).post('/licensing/v1/check-ins', {});
      await fs.writeFile(state, JSON.stringify({ ...saved, activation: { ...saved.activation, certificate: old.body.certificate } }));
      const received = await agent('check-in', '--state', state, '--json');
      expect([received.code, received.json.error.code]).toEqual([5, 'certificate_expired']);
    } finally {
      t.clock.advanceDays(30);
    }
    const kept = await agent('status', '--offline', '--state', state);
    expect(kept.code).toBe(5);
    expect(kept.stderr).toContain('certificate_expired');
  });

  it('exits 3 with the code when the server refuses, and 2 on a usage error', async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 1 }] });
    const activateWith = (file: string, ...extra: string[]) => agent('activate', '--server', server, '--product', 'desktop-business', '--key', order.key, '--state', file, ...extra);
    expect((await activateWith(stateFile(), '--fingerprint', 'refusal-test-machine-1')).code).toBe(0);
    const full = await activateWith(stateFile(), '--fingerprint', 'refusal-test-machine-2', '--json');
    expect([full.code, full.json]).toEqual([3, { ok: false, error: { code: 'quota_exhausted', message: 'All seats of this license key are in use' } }]);
    const text = await activateWith(stateFile(), '--fingerprint', 'refusal-test-machine-3');
    expect([text.code, text.stderr.trim()]).toEqual([3, 'quota_exhausted: All seats of this license key are in use']);

    const missingKey = await agent('activate', '--server', server, '--product', 'desktop-business', '--json');
    expect([missingKey.code, missingKey.json.error.code]).toEqual([2, 'usage']);
    expect((await agent('check-in', '--peak', 'many')).code).toBe(2);
  });

  it("sends a proxy's usage weekly as the server schedules it, while it checks in daily, and shows when the next report is due", async () => {
    const c = await customerWithSubscription(t, { items: [{ productCode: 'mac-sccm', licenseType: null, quantity: 100 }] });
    const state = stateFile();
    const activated = await agent('activate', '--server', server, '--product', 'mac-sccm', '--key', c.key, '--state', state, '--json');
    expect(activated.code).toBe(0);
    const start = t.clock.now().getTime();
    const day = (n: number) => new Date(start + n * 86_400_000).toISOString();

    // Never reported: the first check-in carries the usage.
    const first = await agent('check-in', '--state', state, '--peak', '40', '--current', '35', '--json');
    expect(first.json).toMatchObject({ ok: true, usageReported: true, nextCheckInAt: day(1), nextUsageReportAt: day(7) });
    expect((await readState(state)).activation).toMatchObject({ nextUsageReportAt: day(7) });
    const shown = await agent('status', '--state', state);
    expect(shown.stdout).toContain(`next usage report: ${day(7)}`);

    // The daily refreshes of the week carry none; the one the server scheduled for the seventh day does.
    t.clock.advanceDays(1);
    const nextDay = await agent('check-in', '--state', state, '--peak', '41');
    expect([nextDay.code, nextDay.stdout]).toEqual([0, expect.stringContaining(`usage report:     not sent: not due until ${day(7)}`)]);
    t.clock.advanceDays(5);
    const sixthDay = await agent('check-in', '--state', state, '--peak', '46', '--json');
    expect(sixthDay.json).toMatchObject({ ok: true, usageReported: false, nextCheckInAt: day(7), nextUsageReportAt: day(7) });
    t.clock.advanceDays(1);
    const seventhDay = await agent('check-in', '--state', state, '--peak', '47', '--json');
    expect(seventhDay.json).toMatchObject({ ok: true, usageReported: true, nextUsageReportAt: day(14) });
    const reports = await t.deps.db.selectFrom('installation_usage').select('peak').where('installation_id', '=', activated.json.installationId).orderBy('id').execute();
    expect(reports.map((r) => r.peak)).toEqual([40, 47]);
    expect((await agent('status', '--state', state, '--json')).json).toMatchObject({ ok: true, used: 47, nextUsageReportAt: day(14) });
  }, 60_000);

  it("reports this host's virtual machines from a JSON file, and prints a warning for each entry refused", async () => {
    const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-enterprise', licenseType: null, quantity: 2 }] });
    const state = stateFile();
    expect((await agent('activate', '--server', server, '--product', 'desktop-enterprise', '--key', c.key, '--state', state)).code).toBe(0);
    const vms = path.join(dir, 'vms.json');
    const good = { uuid: '{9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D}', name: 'Windows 11', guestOs: 'Windows 11 Pro', state: 'running', architecture: 'arm64', lastUsedAt: new Date().toISOString() };
    await fs.writeFile(vms, JSON.stringify([good, { ...good, uuid: 'nope', name: 'Broken' }]));
    const run = await agent('check-in', '--state', state, '--vms', vms);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('warning:          Virtual machine 2 (Broken) was not recorded: its uuid is not a UUID');
    const rows = await t.deps.db.selectFrom('virtual_machines').select(['uuid', 'name']).where('account_id', '=', c.accountId).execute();
    expect(rows).toEqual([{ uuid: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d', name: 'Windows 11' }]);

    await fs.writeFile(vms, JSON.stringify({ virtualMachines: [good] }));
    const notAList = await agent('check-in', '--state', state, '--vms', vms, '--json');
    expect([notAList.code, notAList.json.error]).toEqual([2, { code: 'usage', message: `${vms} must hold a JSON array of virtual machines` }]);
    expect((await agent('check-in', '--state', state, '--vms', path.join(dir, 'missing.json'))).code).toBe(2);
  });

  it('starts a trial and reports farm usage', async () => {
    const state = stateFile();
    const started = await agent('trial', '--server', server, '--product', 'ras', '--state', state, '--json');
    expect([started.code, started.json]).toEqual([0, expect.objectContaining({ ok: true, product: 'ras', seats: 50, state: 'active' })]);
    expect((await agent('check-in', '--state', state, '--peak', '12', '--current', '9')).code).toBe(0);
    expect((await agent('status', '--state', state, '--json')).json).toMatchObject({ total: 50, used: 9, remaining: 41 });
  });
});
