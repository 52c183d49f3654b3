import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { deliverDueEmails } from '../../src/jobs/outbox-worker.js';
import { createMailTransport, type MailTransport } from '../../src/mail/transport.js';
import { LicensingClient, LicensingError, type ActivationResponse, type AgentState } from '../../src/client/index.js';
import { createTestApp, signedInUser, uniqueEmail, type ApiClient, type TestApp } from '../support/harness.js';
import { counters, machine } from '../support/installations.js';
import { testEngine } from '../support/database.js';
import { customerWithSubscription } from '../support/licensing.js';
import { auditTrail, overlapping } from '../support/members.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

let t: TestApp;
let smtp: TestSmtpServer;
let transport: MailTransport;
let server: string;
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-install-invitations-'));
  t = await createTestApp({ dataDir: dir });
  smtp = await startSmtpServer();
  transport = createMailTransport({ smtpUrl: smtp.url, dataDir: dir });
  server = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  transport.close();
  await smtp.close();
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const CODE = /AC(-[0-9A-Z]{5}){4}/;

/** A customer with ten seats of the desktop product and a reserved sublicense "Office" of `officeSeats`. */
async function customer(officeSeats = 2) {
  const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10 }] });
  const base = `/api/v1/accounts/${c.accountId}/install-invitations`;
  const keys = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}/keys`;
  const office = await c.client.post(keys, { itemId: c.items[0]!.id, name: 'Office', kind: 'reserved', quota: officeSeats, expiresAt: null });
  expect(office.status).toBe(201);
  const invite = (emails: string[], options: Record<string, unknown> = {}) => c.client.post(base, { keyId: office.body.key.id, emails, ...options });
  return { ...c, base, keys, office: office.body.key as { id: string; key: string }, invite };
}

const codeOf = (reply: { body: { invited: { code: string }[] } }, i = 0) => reply.body.invited[i]!.code;

const client = () => new LicensingClient(server);

/** Activates a machine with a code through the client library; the refusal's code when refused. */
interface Outcome {
  created?: boolean;
  activation?: ActivationResponse;
  refused?: string;
  status?: number;
}

async function activateWithCode(code: string, who = machine()): Promise<Outcome> {
  try {
    return await client().activate({ product: 'desktop-business', activationCode: code, ...who });
  } catch (err) {
    if (err instanceof LicensingError) return { refused: err.code, status: err.status };
    throw err;
  }
}

/** Runs `keyline agent ...` as a script would. */
function agent(...args: string[]): Promise<{ code: number | null; json: any }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'agent', ...args], { cwd: path.resolve(import.meta.dirname, '../..') });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, json: JSON.parse(stdout || 'null') })));
}

describe('sending invitations to install', () => {
  it('emails each address its own code and download link, reporting entries that are no address and repeats', async () => {
    const c = await customer();
    const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')];
    const res = await c.invite([ann, 'not-an-email', bob, ann.toUpperCase()], { language: 'de', expiresInDays: 10 });
    expect(res.status).toBe(201);
    expect(res.body.invited).toEqual([
      expect.objectContaining({ email: ann, keyId: c.office.id, keyName: 'Office', language: 'de', status: 'pending', usedAt: null, createdBy: c.email }),
      expect.objectContaining({ email: bob, status: 'pending' }),
    ]);
    const [annCode, bobCode] = [codeOf(res, 0), codeOf(res, 1)];
    expect(annCode).toMatch(CODE);
    expect(annCode).not.toBe(bobCode);
    expect(res.body.invited[0].downloadLinks).toEqual([`http://keyline.test/downloads/desktop-business?activationCode=${annCode}`]);
    expect(new Date(res.body.invited[0].expiresAt).getTime() - t.clock.now().getTime()).toBe(10 * 86_400_000);
    expect(res.body.skipped).toEqual([{ email: ann.toUpperCase(), reason: 'duplicate' }]);
    expect(res.body.rejectedRows).toEqual([{ line: 2, value: 'not-an-email', message: 'is not an email address' }]);

    await deliverDueEmails(t.deps, transport);
    const [mail, ...more] = smtp.receivedBy(ann);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toContain('hat Sie eingeladen, Software');
    expect(mail!.text).toContain(annCode);
    expect(mail!.text).toContain(`http://keyline.test/downloads/desktop-business?activationCode=${annCode}`);
    expect(mail!.text).not.toContain(c.office.key);
    expect(smtp.receivedBy(bob)[0]!.text).toContain(bobCode);
  });

  it('reads the addresses of a CSV file, reporting bad rows by line and inviting the good ones', async () => {
    const c = await customer();
    const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')];
    const res = await c.client.request('POST', `${c.base}/csv?keyId=${c.office.id}&language=fr&expiresInDays=3`, `email\n${ann}\nnobody\n${bob}\n`, {
      'content-type': 'text/csv',
    });
    expect(res.status).toBe(201);
    expect(res.body.invited.map((i: { email: string }) => i.email)).toEqual([ann, bob]);
    expect(res.body.rejectedRows).toEqual([{ line: 3, value: 'nobody', message: 'is not an email address' }]);
    const [mail] = await t.emailsTo(bob);
    expect(mail).toMatchObject({ template: 'install_invitation', subject: expect.stringContaining('vous invite à installer') });
    expect(mail!.text).toContain(codeOf(res, 1));
  });

  it('skips an address whose invitation for the key is still pending instead of making a second code, and invites it anew once that one is over', async () => {
    const c = await customer();
    const lab = (await c.client.post(c.keys, { itemId: c.items[0]!.id, name: 'Lab', kind: 'dynamic', quota: 2, expiresAt: null })).body.key;
    const [ann, bob, cy] = [uniqueEmail('ann'), uniqueEmail('bob'), uniqueEmail('cy')];
    const first = (await c.invite([ann, bob, cy], { expiresInDays: 3 })).body.invited;
    await c.client.delete(`${c.base}/${first[1].id}`);
    const mailsBefore = (await t.emailsTo(ann)).length;

    const again = await c.invite([ann.toUpperCase(), bob, uniqueEmail('dee')]);
    expect(again.status).toBe(201);
    expect(again.body.skipped).toEqual([{ email: ann.toUpperCase(), reason: 'already_invited' }]);
    expect(again.body.invited.map((i: { email: string }) => i.email)).toEqual([bob, expect.stringContaining('dee')]);
    expect(await t.emailsTo(ann)).toHaveLength(mailsBefore);
    // Another key is another invitation: its code activates something else.
    expect((await c.client.post(c.base, { keyId: lab.id, emails: [ann] })).body.invited).toHaveLength(1);

    t.clock.advanceDays(4);
    try {
      const late = await c.invite([cy]);
      expect([late.body.invited.length, late.body.skipped]).toEqual([1, []]);
      expect(late.body.invited[0].code).not.toBe(first[2].code);
    } finally {
      t.clock.advanceDays(-4);
    }
    const listed = (await c.client.get(`${c.base}?keyId=${c.office.id}`)).body.items.map((i: { email: string; status: string }) => `${i.email} ${i.status}`);
    expect(listed.filter((l: string) => l.startsWith(ann))).toEqual([`${ann} pending`]);
  });

  it('lists the invitations with their status and downloads them as CSV', async () => {
    const c = await customer();
    const sent = await c.invite([uniqueEmail('a'), uniqueEmail('b'), uniqueEmail('c')]);
    const [used, revoked] = sent.body.invited;
    expect((await activateWithCode(used.code)).refused).toBeUndefined();
    expect((await c.client.delete(`${c.base}/${revoked.id}`)).body.invitation).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });

    const page1 = await c.client.get(`${c.base}?limit=2`);
    const page2 = await c.client.get(`${c.base}?limit=2&cursor=${page1.body.nextCursor}`);
    const listed = [...page1.body.items, ...page2.body.items];
    expect(page2.body.nextCursor).toBeNull();
    expect(listed.map((i: { email: string; status: string }) => [i.email, i.status]).sort()).toEqual(
      [
        [used.email, 'used'],
        [revoked.email, 'revoked'],
        [sent.body.invited[2].email, 'pending'],
      ].sort(),
    );
    expect(listed.find((i: { id: string }) => i.id === used.id)).toMatchObject({ usedAt: expect.any(String), installationId: expect.any(String) });

    const csv = await c.client.get(`/api/v1/accounts/${c.accountId}/install-invitations.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r['email'] === used.email)).toEqual({
      email: used.email,
      code: used.code,
      link: `http://keyline.test/downloads/desktop-business?activationCode=${used.code}`,
      status: 'used',
      expires: used.expiresAt,
      key: 'Office',
      times_sent: '1',
      last_sent: used.createdAt,
    });
  });
});

describe('sending an invitation again', () => {
  const resend = (caller: { client: ApiClient }, base: string, id: string) => caller.client.post(`${base}/${id}/resend`);

  /** What a refused resend must leave as it was: the invitation as listed, and the emails written to the person. */
  async function unchanged(c: Awaited<ReturnType<typeof customer>>, invitation: { id: string; email: string }) {
    const listed = (await c.client.get(c.base)).body.items.find((i: { id: string }) => i.id === invitation.id);
    return { listed, emails: (await t.emailsTo(invitation.email)).length };
  }

  it('emails the same code and link again in the invitation language, counting each sending', async () => {
    const c = await customer();
    const ann = uniqueEmail('again');
    const sent = (await c.invite([ann], { language: 'fr', expiresInDays: 5 })).body.invited[0];
    expect(sent).toMatchObject({ sentCount: 1, lastSentAt: sent.createdAt });
    t.clock.advanceSeconds(3600);

    const res = await resend(c, c.base, sent.id);
    expect(res.status).toBe(200);
    expect(res.body.invitation).toMatchObject({ id: sent.id, code: sent.code, downloadLinks: sent.downloadLinks, expiresAt: sent.expiresAt, status: 'pending', sentCount: 2 });
    expect(res.body.invitation.lastSentAt).toBe(t.clock.now().toISOString());
    expect((await c.client.get(c.base)).body.items[0]).toMatchObject({ sentCount: 2, lastSentAt: t.clock.now().toISOString() });

    // The outbox goes out in batches; earlier tests may have left more than one.
    while ((await deliverDueEmails(t.deps, transport)) > 0);
    const mails = smtp.receivedBy(ann);
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.subject).toContain('vous invite à installer');
      expect(mail.text).toContain(sent.code);
      expect(mail.text).toContain(`http://keyline.test/downloads/desktop-business?activationCode=${sent.code}`);
    }
    // The code sent again is the one that works.
    expect((await activateWithCode(sent.code)).created).toBe(true);
    expect((await auditTrail(t, c.accountId)).filter((e) => e.target_id === sent.id).map((e) => e.action)).toEqual(['install_invitation.created', 'install_invitation.resent']);
  });

  it('is described in the OpenAPI document, answering the invitation with its sendings', async () => {
    const doc = (await t.client().get('/openapi.json')).body;
    const answer = doc.paths['/api/v1/accounts/{accountId}/install-invitations/{invitationId}/resend'].post.responses['200'].content['application/json'].schema;
    expect(answer.properties.invitation.$ref).toBe('#/components/schemas/InstallInvitation');
    expect(doc.components.schemas.InstallInvitation.required).toEqual(expect.arrayContaining(['sentCount', 'lastSentAt']));
  });

  it('refuses a revoked, used or expired invitation with 409 and changes nothing', async () => {
    const c = await customer();
    const [revoked, used, late] = (await c.invite([uniqueEmail('revoked'), uniqueEmail('used'), uniqueEmail('late')], { expiresInDays: 1 })).body.invited;
    await c.client.delete(`${c.base}/${revoked.id}`);
    expect((await activateWithCode(used.code)).created).toBe(true);
    t.clock.advanceDays(2);
    try {
      for (const [invitation, status] of [
        [revoked, 'revoked'],
        [used, 'used'],
        [late, 'expired'],
      ] as const) {
        const before = await unchanged(c, invitation);
        const res = await resend(c, c.base, invitation.id);
        expect([status, res.status, res.body.error]).toEqual([
          status,
          409,
          expect.objectContaining({ code: 'invitation_not_pending', message: `Only a pending invitation can be sent again; this one is ${status}` }),
        ]);
        expect(await unchanged(c, invitation)).toEqual(before);
      }
    } finally {
      t.clock.advanceDays(-2);
    }
  });

  it('lets the License Administrators of the key send again, and answers 404 to other accounts and keys and 403 to a regular member', async () => {
    const c = await customer();
    const stranger = await customer();
    const lab = (await c.client.post(c.keys, { itemId: c.items[0]!.id, name: 'Lab', kind: 'dynamic', quota: 2, expiresAt: null })).body.key;
    const [office] = (await c.invite([uniqueEmail('office')])).body.invited;
    const [labInvitation] = (await c.client.post(c.base, { keyId: lab.id, emails: [uniqueEmail('lab')] })).body.invited;
    const lead = await signedInUser(t, 'lead');
    await insertMembership(t.deps.db, { accountId: c.accountId, userId: lead.userId, role: 'member' });
    const before = await unchanged(c, office);

    const asMember = await resend(lead, c.base, office.id);
    expect([asMember.status, asMember.body.error.code]).toEqual([403, 'forbidden']);
    for (const [base, id] of [
      [c.base, office.id],
      [stranger.base, office.id],
    ]) {
      const res = await resend(stranger, base!, id!);
      expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
    }
    expect(await unchanged(c, office)).toEqual(before);

    expect((await c.client.request('PUT', `${c.keys}/${c.office.id}/admins/${lead.userId}`)).status).toBe(200);
    expect((await resend(lead, c.base, labInvitation.id)).status).toBe(404);
    const own = await resend(lead, c.base, office.id);
    expect([own.status, own.body.invitation.sentCount]).toEqual([200, 2]);
    expect(await t.emailsTo(office.email)).toHaveLength(2);
  });
});

describe('activating with a code', () => {
  it('activates through keyline agent, and neither the answer nor the certificate holds the license key', async () => {
    const c = await customer();
    const invited = uniqueEmail('agent');
    const code = codeOf(await c.invite([invited]));
    const state = path.join(dir, 'agent-state.json');
    const run = await agent('activate', '--server', server, '--product', 'desktop-business', '--code', code.toLowerCase(), '--state', state, '--json');
    expect([run.code, run.json]).toEqual([0, expect.objectContaining({ ok: true, created: true, state: 'active', seats: 1 })]);

    const saved = JSON.parse(await fs.readFile(state, 'utf8')) as AgentState;
    const claims = JSON.parse(Buffer.from(saved.activation!.certificate.split('.')[1]!, 'base64url').toString());
    expect(claims.lic.keyId).toBe(c.office.id);
    const keyForms = [c.office.key, c.office.key.replace(/-/g, '')];
    for (const form of keyForms) expect(JSON.stringify(claims)).not.toContain(form);

    // The same code again from the same machine: its installation back, and no second seat.
    const again = await activateWithCode(code, { fingerprint: saved.fingerprint, publicKey: saved.publicKey });
    expect(again).toMatchObject({ created: false, activation: { installationId: run.json.installationId } });
    for (const form of keyForms) expect(JSON.stringify(again.activation)).not.toContain(form);
    expect(await counters(t.deps.db, c.office.id, c.items[0]!.id)).toMatchObject({ used: 1, active: 1 });
    const installation = await t.deps.db.selectFrom('installations').select('activated_by').where('id', '=', run.json.installationId).executeTakeFirstOrThrow();
    expect(installation.activated_by).toBe(invited);

    const both = await agent('activate', '--server', server, '--product', 'desktop-business', '--code', code, '--key', c.office.key, '--state', path.join(dir, 'x.json'), '--json');
    expect([both.code, both.json.error.code]).toEqual([2, 'usage']);
  });

  it('works once: another machine with a used code is refused', async () => {
    const c = await customer();
    const code = codeOf(await c.invite([uniqueEmail('once')]));
    expect((await activateWithCode(code)).created).toBe(true);
    expect(await activateWithCode(code)).toMatchObject({ refused: 'code_used', status: 410 });
  });

  it.runIf(testEngine() === 'postgres')('works once only when two machines send it at the same moment', async () => {
    const c = await customer();
    const sent = await c.invite([uniqueEmail('race')]);
    const body = () => ({ product: 'desktop-business', activationCode: codeOf(sent), ...machine() });
    const answers = await overlapping(
      t,
      (trx) => trx.selectFrom('install_invitations').select('id').where('id', '=', sent.body.invited[0].id).forUpdate().execute(),
      () => [t.client().post('/licensing/v1/activations', body()), t.client().post('/licensing/v1/activations', body())],
    );
    expect(answers.map((a) => a.body.error?.code ?? a.status).sort()).toEqual([201, 'code_used']);
    expect(await counters(t.deps.db, c.office.id, c.items[0]!.id)).toMatchObject({ used: 1, active: 1 });
  });

  it('works only until it expires', async () => {
    const c = await customer();
    const code = codeOf(await c.invite([uniqueEmail('late')], { expiresInDays: 1 }));
    t.clock.advanceDays(2);
    try {
      expect(await activateWithCode(code)).toMatchObject({ refused: 'code_expired', status: 410 });
      expect((await c.client.get(c.base)).body.items[0].status).toBe('expired');
    } finally {
      t.clock.advanceDays(-2);
    }
  });

  it('stops working when its invitation is revoked', async () => {
    const c = await customer();
    const sent = await c.invite([uniqueEmail('revoked')]);
    expect((await c.client.delete(`${c.base}/${sent.body.invited[0].id}`)).status).toBe(200);
    expect(await activateWithCode(codeOf(sent))).toMatchObject({ refused: 'code_expired' });
    const again = await c.client.delete(`${c.base}/${sent.body.invited[0].id}`);
    expect([again.status, again.body.error.code]).toEqual([410, 'invitation_invalid']);
  });

  it('answers code_not_found to malformed, mistyped and unknown codes, each counted as a guess', async () => {
    const c = await customer();
    const code = codeOf(await c.invite([uniqueEmail('typo')]));
    const last = code.at(-1) === '0' ? '1' : '0';
    const guesser = t.client('10.99.0.1');
    for (const guess of ['hello', `${code.slice(0, -1)}${last}`, 'AC-00000-00000-00000-00000']) {
      const res = await guesser.post('/licensing/v1/activations', { product: 'desktop-business', activationCode: guess, ...machine() });
      expect([guess, res.status, res.body.error.code]).toEqual([guess, 404, 'code_not_found']);
    }
    const { rows } = await sql<{ hits: number }>`SELECT hits FROM rate_limits WHERE key = 'activation-guess:10.99.0.1'`.execute(t.deps.db);
    expect(rows[0]?.hits).toBe(3);
  });

  it('serves the first to come when invitations outnumber the seats', async () => {
    const c = await customer(2);
    const sent = await c.invite([uniqueEmail('1'), uniqueEmail('2'), uniqueEmail('3')]);
    expect(sent.body.invited).toHaveLength(3);
    const [first, second, third] = [0, 1, 2].map((i) => codeOf(sent, i));
    const winner = await activateWithCode(first!);
    expect(winner.created).toBe(true);
    expect((await activateWithCode(second!)).created).toBe(true);
    expect(await activateWithCode(third!)).toMatchObject({ refused: 'quota_exhausted', status: 409 });
    // The refused code is not spent: once a seat is free, it works.
    expect((await c.client.get(c.base)).body.items.find((i: { code: string }) => i.code === third)?.status).toBe('pending');
    await client().deactivate(winner.activation!.installationToken);
    expect((await activateWithCode(third!)).created).toBe(true);
  });
});

describe('who may invite', () => {
  it('lets a License Administrator invite for granted keys only, and see only their invitations', async () => {
    const c = await customer();
    const lab = (await c.client.post(c.keys, { itemId: c.items[0]!.id, name: 'Lab', kind: 'dynamic', quota: 2, expiresAt: null })).body.key;
    const labInvitation = (await c.client.post(c.base, { keyId: lab.id, emails: [uniqueEmail('lab')] })).body.invited[0];
    const lead = await signedInUser(t, 'lead');
    await insertMembership(t.deps.db, { accountId: c.accountId, userId: lead.userId, role: 'member' });
    expect((await lead.client.post(c.base, { keyId: c.office.id, emails: [uniqueEmail('x')] })).body.error.code).toBe('forbidden');
    expect((await c.client.request('PUT', `${c.keys}/${c.office.id}/admins/${lead.userId}`)).status).toBe(200);

    const own = await lead.client.post(c.base, { keyId: c.office.id, emails: [uniqueEmail('office')] });
    expect(own.status).toBe(201);
    const other = await lead.client.post(c.base, { keyId: lab.id, emails: [uniqueEmail('lab2')] });
    expect([other.status, other.body.error.code]).toEqual([404, 'not_found']);
    const listed = (await lead.client.get(c.base)).body.items.map((i: { id: string }) => i.id);
    expect(listed).toEqual([own.body.invited[0].id]);
    expect((await lead.client.get(`${c.base}?keyId=${lab.id}`)).status).toBe(404);
    const csv = parse((await lead.client.get(`/api/v1/accounts/${c.accountId}/install-invitations.csv`)).body, { columns: true });
    expect(csv).toHaveLength(1);
    expect((await lead.client.delete(`${c.base}/${labInvitation.id}`)).status).toBe(404);
  });

  it("answers 404 for another account, and for another account's key", async () => {
    const c = await customer();
    const stranger = await customer();
    const sent = await c.invite([uniqueEmail('mine')]);
    expect((await stranger.client.post(c.base, { keyId: c.office.id, emails: [uniqueEmail('x')] })).status).toBe(404);
    expect((await stranger.client.get(c.base)).status).toBe(404);
    expect((await stranger.client.delete(`${c.base}/${sent.body.invited[0].id}`)).status).toBe(404);
    const foreignKey = await stranger.client.post(stranger.base, { keyId: c.office.id, emails: [uniqueEmail('x')] });
    expect([foreignKey.status, foreignKey.body.error.code]).toEqual([404, 'not_found']);
    expect((await stranger.client.delete(`${stranger.base}/${sent.body.invited[0].id}`)).status).toBe(404);
  });
});
