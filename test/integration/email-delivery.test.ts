import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/database.js';
import { claimDueEmails, enqueueEmail, listOutbox } from '../../src/data/repositories/outbox.js';
import { runTransaction } from '../../src/data/transactions.js';
import { buildApp } from '../../src/http/app.js';
import { deliverDueEmails, EMAIL_LEASE_SECONDS, MAX_EMAIL_ATTEMPTS, retryDelaySeconds } from '../../src/jobs/outbox-worker.js';
import { createMailTransport, type MailTransport } from '../../src/mail/transport.js';
import type { Deps } from '../../src/services/context.js';
import { TestClock } from '../support/clock.js';
import { ApiClient, PASSWORD, createTestApp, uniqueEmail, type TestApp } from '../support/harness.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

let t: TestApp;
let smtp: TestSmtpServer;
let transport: MailTransport;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-mail-'));
  t = await createTestApp({ dataDir });
  smtp = await startSmtpServer();
  transport = createMailTransport({ smtpUrl: smtp.url, dataDir });
});
afterAll(async () => {
  transport.close();
  await smtp.close();
  await t.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function signUp(app: TestApp = t) {
  const email = uniqueEmail('mail');
  const client = app.client();
  const res = await client.post('/api/v1/signup', { email, firstName: 'Mia', lastName: 'Mailer', password: PASSWORD });
  expect(res.status).toBe(201);
  return { email, client };
}

async function outboxRow(email: string, deps: Pick<Deps, 'db'> = t.deps) {
  const rows = await listOutbox(deps.db, { to: email, limit: 10 });
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const tokenIn = (text: string) => /verify-email\?token=([\w-]+)/.exec(text)?.[1];

describe('email over SMTP', () => {
  it('delivers the sign-up confirmation once, with a link that confirms the address', async () => {
    const { email, client } = await signUp();
    await deliverDueEmails(t.deps, transport);

    const [mail, ...more] = smtp.receivedBy(email);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('Confirm your email address');
    expect(mail!.from?.value).toEqual([{ name: 'Keyline', address: 'no-reply@keyline.local' }]);
    expect(mail!.text).toContain('http://keyline.test/verify-email?token=');
    expect((await outboxRow(email)).status).toBe('sent');

    expect((await client.post('/api/v1/email-verification', { token: tokenIn(mail!.text!) })).status).toBe(200);
    await client.signIn(email, PASSWORD);
    expect((await client.get('/api/v1/me')).body.user.emailVerified).toBe(true);
  });

  it('keeps a refused message and sends it again after the backoff delay, under the same Message-ID', async () => {
    const { email } = await signUp();
    smtp.rejectNext(email, 1);
    await deliverDueEmails(t.deps, transport);

    const failed = await outboxRow(email);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.last_error).toMatch(/temporarily unavailable/);
    expect(failed.next_attempt_at).toEqual(new Date(t.clock.now().getTime() + retryDelaySeconds(1) * 1000));
    expect(smtp.receivedBy(email)).toHaveLength(0);

    t.clock.advanceSeconds(retryDelaySeconds(1) - 1);
    await deliverDueEmails(t.deps, transport);
    expect(smtp.receivedBy(email)).toHaveLength(0);

    t.clock.advanceSeconds(1);
    await deliverDueEmails(t.deps, transport);
    await deliverDueEmails(t.deps, transport);
    const delivered = smtp.receivedBy(email);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.messageId).toBe(`<${failed.id}@keyline>`);
    expect(await outboxRow(email)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it(`gives a message up after ${MAX_EMAIL_ATTEMPTS} refusals and never retries it`, async () => {
    const { email } = await signUp();
    smtp.rejectNext(email, MAX_EMAIL_ATTEMPTS);
    for (let attempt = 1; attempt <= MAX_EMAIL_ATTEMPTS; attempt++) {
      await deliverDueEmails(t.deps, transport);
      expect((await outboxRow(email)).attempts).toBe(attempt);
      t.clock.advanceSeconds(retryDelaySeconds(attempt));
    }
    expect(await outboxRow(email)).toMatchObject({ status: 'failed', attempts: MAX_EMAIL_ATTEMPTS });

    t.clock.advanceDays(2);
    await deliverDueEmails(t.deps, transport);
    expect(smtp.receivedBy(email)).toHaveLength(0);
    expect((await outboxRow(email)).attempts).toBe(MAX_EMAIL_ATTEMPTS);
  });

  it('delivers a message whose worker crashed mid-send once its lease runs out', async () => {
    const { email } = await signUp();
    const claimed = await claimDueEmails(t.deps.db, t.clock.now(), 100, EMAIL_LEASE_SECONDS);
    expect(claimed.map((m) => m.to_address)).toContain(email);

    await deliverDueEmails(t.deps, transport);
    expect(smtp.receivedBy(email)).toHaveLength(0);

    t.clock.advanceSeconds(EMAIL_LEASE_SECONDS);
    await deliverDueEmails(t.deps, transport);
    expect(smtp.receivedBy(email)).toHaveLength(1);
  });

  it('has two workers running at once send every message exactly once', async () => {
    const addresses = Array.from({ length: 30 }, () => uniqueEmail('bulk'));
    await runTransaction(t.deps.db, async (trx) => {
      for (const to of addresses) await enqueueEmail(trx, { template: 'test', to, subject: 'Bulk', text: 'hello' }, t.clock.now());
    });
    const second = createMailTransport({ smtpUrl: smtp.url, dataDir });
    try {
      for (;;) {
        const sent = await Promise.all([deliverDueEmails(t.deps, transport), deliverDueEmails(t.deps, second)]);
        if (sent[0] + sent[1] === 0) break;
      }
    } finally {
      second.close();
    }
    expect(addresses.map((a) => smtp.receivedBy(a).length)).toEqual(addresses.map(() => 1));
  });

  it('sends mail enqueued before the server stopped from the next server on the same database', async () => {
    const first = await createTestApp({ dataDir });
    const { email } = await signUp(first);
    await first.app.close();
    // A real restart: the database is closed and opened again (PGlite from its saved data folder).
    const saved = first.database.url ? null : await first.database.dumpDataDir!();
    await first.database.close();
    const database = await openDatabase(first.database.url ? { url: first.database.url } : { loadDataDir: saved! });
    const deps: Deps = { db: database.db, relaxedDb: database.relaxed, clock: new TestClock(), config: first.deps.config, log: pino({ level: 'silent' }) };
    const app = await buildApp(deps);
    try {
      await deliverDueEmails(deps, transport);
      const [mail] = smtp.receivedBy(email);
      const confirmed = await new ApiClient(app, '10.9.9.9').post('/api/v1/email-verification', { token: tokenIn(mail!.text!) });
      expect(confirmed.status).toBe(200);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('dev mailbox (no SMTP server configured)', () => {
  it('writes each delivered email to an .eml file in the data folder', async () => {
    const { email } = await signUp();
    const dev = createMailTransport(t.deps.config);
    expect(dev.kind).toBe('dev-mailbox');
    await deliverDueEmails(t.deps, dev);
    dev.close();

    const folder = path.join(dataDir, 'mail');
    const parsed = await Promise.all((await fs.readdir(folder)).map(async (f) => simpleParser(await fs.readFile(path.join(folder, f)))));
    const mine = parsed.filter((m) => [m.to ?? []].flat().some((a) => a.text === email));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.subject).toBe('Confirm your email address');
    expect(tokenIn(mine[0]!.text!)).toBeDefined();
  });

  it('shows the outbox to a browser on this machine, whose link then confirms the address', async () => {
    const { email, client } = await signUp();
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const list = await t.client(ip).get(`/api/v1/dev/mailbox?to=${encodeURIComponent(email)}`);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([expect.objectContaining({ to: email, subject: 'Confirm your email address', status: 'pending', sentAt: null })]);
    }
    const { items } = (await t.client('127.0.0.1').get(`/api/v1/dev/mailbox?to=${encodeURIComponent(email)}`)).body;
    const one = await t.client('127.0.0.1').get(`/api/v1/dev/mailbox/${items[0].id}`);
    expect(one.body).toEqual(items[0]);
    expect((await client.post('/api/v1/email-verification', { token: tokenIn(one.body.text) })).status).toBe(200);
  });

  it('answers 404 to any other address, and to a request forwarded by a proxy', async () => {
    const { email } = await signUp();
    const [message] = (await t.client('127.0.0.1').get(`/api/v1/dev/mailbox?to=${encodeURIComponent(email)}`)).body.items;
    for (const ip of ['10.0.0.7', '192.168.1.20', '::ffff:10.0.0.7']) {
      const list = await t.client(ip).get('/api/v1/dev/mailbox');
      expect([ip, list.status, list.body.error.code]).toEqual([ip, 404, 'not_found']);
      expect((await t.client(ip).get(`/api/v1/dev/mailbox/${message.id}`)).status).toBe(404);
    }
    const proxied = await t.client('127.0.0.1').request('GET', '/api/v1/dev/mailbox', undefined, { 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.status).toBe(404);
    expect(JSON.stringify(proxied.body)).not.toContain(email);
  });

  it('does not exist when an SMTP server is configured', async () => {
    const app = await buildApp({ ...t.deps, config: { ...t.deps.config, smtpUrl: smtp.url } });
    try {
      const res = await new ApiClient(app, '127.0.0.1').get('/api/v1/dev/mailbox');
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('No route GET /api/v1/dev/mailbox');
    } finally {
      await app.close();
    }
  });
});
