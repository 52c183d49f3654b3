import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMembership } from '../../src/data/repositories/memberships.js';
import { DISABLE_AFTER_DAYS, DISABLE_AFTER_FAILURES } from '../../src/domain/webhooks.js';
import { DELIVERY_LOG_DAYS, deliverDueWebhooks, purgeWebhookLog, startWebhookWorker } from '../../src/jobs/webhook-worker.js';
import { recordExpiredSubscriptions, sendExpiryReminders } from '../../src/services/notifications/expiry-reminders.js';
import { guardedLookup } from '../../src/services/webhooks/destination.js';
import { createTestApp, signedInUser, type ApiClient, type TestApp } from '../support/harness.js';
import { activate, activationBody } from '../support/installations.js';
import { customerWithSubscription } from '../support/licensing.js';
import { signedInOperator } from '../support/vendor.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { watchWrites } from '../support/write-log.js';

/**
 * Webhooks end to end, with a real HTTP receiver on 127.0.0.1: changes queue deliveries in their
 * own transaction, the worker signs and POSTs them (verified the way a receiver verifies, with the
 * standardwebhooks library), retries with backoff through a failing and a hanging phase, logs
 * every attempt, redelivers, and disables an endpoint that keeps failing, with an email.
 */

type Customer = Awaited<ReturnType<typeof customerWithSubscription>>;

const hooksOf = (accountId: string) => `/api/v1/accounts/${accountId}/webhooks`;

async function addEndpoint(client: ApiClient, base: string, url: string, eventTypes: string[], description = '') {
  const res = await client.post(base, { url, eventTypes, description });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.endpoint.id as string, secret: res.body.secret as string, path: `${base}/${res.body.endpoint.id}` };
}

async function deliveries(client: ApiClient, endpointPath: string) {
  const res = await client.get(`${endpointPath}/deliveries`);
  expect(res.status).toBe(200);
  return res.body.items as { id: string; messageId: string; eventType: string; status: string; attempts: number; nextAttemptAt: string | null; payload: any; log: any[] }[];
}

const headersOf = (r: Receiver, i: number) => r.received[i]!.headers;

/** Runs the worker's claims until nothing is due: each sends the oldest due delivery of every endpoint. */
async function deliverAll(t: TestApp): Promise<number> {
  for (let sent = 0; ; ) {
    const n = await deliverDueWebhooks(t.deps);
    if (n === 0) return sent;
    sent += n;
  }
}

describe('delivering to a receiver on loopback (private addresses allowed)', () => {
  let t: TestApp;
  let c: Customer;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ webhooks: { allowPrivate: true, allowHttp: true, timeoutMs: 1500 } });
    c = await customerWithSubscription(t);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('sends a signed installation.activated for an activation, which the standardwebhooks library verifies', async () => {
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), receiver.url, ['installation.activated'], 'CRM sync');
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const other = await addEndpoint(c.client, hooksOf(c.accountId), `${receiver.url}/members`, ['member.joined']);

    const activated = await activate(t, activationBody(c.key));
    expect(activated.status).toBe(201);
    // Queued with the activation, before any worker ran.
    const [queued] = await deliveries(c.client, endpoint.path);
    expect(queued).toMatchObject({ eventType: 'installation.activated', status: 'pending', attempts: 0 });
    expect(await deliveries(c.client, other.path)).toEqual([]);

    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    expect(headers['content-type']).toBe('application/json');
    const payload = new Webhook(endpoint.secret).verify(body, headers) as any;
    expect(payload).toEqual({
      type: 'installation.activated',
      timestamp: expect.any(String),
      data: expect.objectContaining({ accountId: c.accountId, installationId: activated.body.installationId, keyId: c.primaryKey.id, action: 'installation.activated', created: true }),
    });
    expect(headers['webhook-id']).toBe(queued!.messageId);
    expect(() => new Webhook(other.secret).verify(body, headers)).toThrow();

    const [delivered] = await deliveries(c.client, endpoint.path);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, nextAttemptAt: null, log: [{ attempt: 1, statusCode: 200, error: null, responseExcerpt: 'thanks' }] });
    expect(await deliverDueWebhooks(t.deps)).toBe(0);
  });

  it('queues nothing for a change that rolls back', async () => {
    const before = receiver.received.length;
    const refused = await activate(t, activationBody(c.key, { product: 'ras' }));
    expect(refused.status).toBe(422);
    expect(await deliverDueWebhooks(t.deps)).toBe(0);
    expect(receiver.received).toHaveLength(before);
  });

  it('signs with the old and the new secret for a day after a rotation', async () => {
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), receiver.url, ['installation.deactivated']);
    const rotated = await c.client.post(`${endpoint.path}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.endpoint.previousSecretUntil).not.toBeNull();
    const tested = await c.client.post(`${endpoint.path}/test`);
    expect([tested.status, tested.body.delivery.eventType]).toEqual([202, 'webhook.test']);
    await deliverDueWebhooks(t.deps);
    const { headers, body } = receiver.received.at(-1)!;
    expect(new Webhook(rotated.body.secret).verify(body, headers)).toMatchObject({ type: 'webhook.test', data: { endpointId: endpoint.id } });
    expect(new Webhook(endpoint.secret).verify(body, headers)).toMatchObject({ type: 'webhook.test' });
    // The secret is kept encrypted, never in clear.
    const row = await t.deps.db.selectFrom('webhook_endpoints').select(['secret_sealed', 'previous_secret_sealed']).where('id', '=', endpoint.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(rotated.body.secret.slice(6, 20));
    expect(JSON.stringify(row)).not.toContain(endpoint.secret.slice(6, 20));
    expect(JSON.stringify((await c.client.get(endpoint.path)).body)).not.toContain('whsec_');
  });

  it('lets the vendor hear every account, on its own endpoints', async () => {
    const operator = (await signedInOperator(t)).client;
    const vendorEndpoint = await addEndpoint(operator, '/api/v1/vendor/webhooks', `${receiver.url}/vendor`, ['installation.activated']);
    const other = await customerWithSubscription(t);
    const activated = await activate(t, activationBody(other.key));
    await deliverDueWebhooks(t.deps);
    const [heard] = await deliveries(operator, vendorEndpoint.path);
    expect(heard?.payload.data).toMatchObject({ accountId: other.accountId, installationId: activated.body.installationId });
    expect(new Webhook(vendorEndpoint.secret).verify(receiver.received.at(-1)!.body, headersOf(receiver, receiver.received.length - 1))).toBeTruthy();
    // The first account's endpoint hears nothing of another account.
    const mine = (await c.client.get(hooksOf(c.accountId))).body.items.find((e: { eventTypes: string[] }) => e.eventTypes.includes('installation.activated'));
    expect((await deliveries(c.client, `${hooksOf(c.accountId)}/${mine.id}`)).map((d) => d.payload.data.accountId)).toEqual([c.accountId]);
  });

  it('never lets a receiver that hangs hold up the deliveries to others', async () => {
    const stuck = await startReceiver('hang');
    const slow = await addEndpoint(c.client, hooksOf(c.accountId), stuck.url, ['quota.over_limit']);
    const fast = await addEndpoint(c.client, hooksOf(c.accountId), `${receiver.url}/fast`, ['quota.over_limit']);
    const before = receiver.received.length;
    // The hanging request stays open for the whole test: only its timeout could end it.
    t.deps.config.webhooks.timeoutMs = 60_000;
    const worker = startWebhookWorker(t.deps, 20);
    try {
      await c.client.post(`${slow.path}/test`);
      await expect.poll(() => stuck.hanging, { timeout: 10_000 }).toBe(1);
      for (let i = 0; i < 3; i++) await c.client.post(`${fast.path}/test`);
      await expect.poll(() => receiver.received.length - before, { timeout: 10_000 }).toBe(3);
      expect(stuck.hanging).toBe(1);
      stuck.release();
    } finally {
      await worker.stop();
      t.deps.config.webhooks.timeoutMs = 1500;
      await stuck.close();
    }
    expect((await deliveries(c.client, slow.path)).map((d) => d.status)).toEqual(['delivered']);
    expect((await deliveries(c.client, fast.path)).map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('retries a receiver that fails, then hangs past the timeout, with backoff until it recovers; the log shows each attempt', async () => {
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), `${receiver.url}/flaky`, ['installation.deactivated']);
    receiver.mode = 'fail';
    const first = receiver.received.length;
    const { id } = (await c.client.post(`${endpoint.path}/test`)).body.delivery;

    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    let [d] = await deliveries(c.client, endpoint.path);
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    // Not due again before its backoff (30 s).
    t.clock.advanceSeconds(29);
    expect(await deliverDueWebhooks(t.deps)).toBe(0);
    t.clock.advanceSeconds(1);
    expect(await deliverDueWebhooks(t.deps)).toBe(1);

    receiver.mode = 'hang';
    t.clock.advanceSeconds(60);
    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    receiver.mode = 'redirect';
    t.clock.advanceSeconds(120);
    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    receiver.mode = 'ok';
    t.clock.advanceSeconds(239);
    expect(await deliverDueWebhooks(t.deps)).toBe(0);
    t.clock.advanceSeconds(1);
    expect(await deliverDueWebhooks(t.deps)).toBe(1);

    [d] = await deliveries(c.client, endpoint.path);
    expect(d).toMatchObject({ id, status: 'delivered', attempts: 5 });
    expect(d!.log.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, null],
      [4, 302],
      [5, 200],
    ]);
    expect(d!.log[0].error).toBe('answered 500');
    expect(d!.log[0].responseExcerpt).toMatch(/^receiver broken: x+$/);
    expect(d!.log[0].responseExcerpt.length).toBeLessThanOrEqual(1024);
    expect(d!.log[2].error).toBe('no answer within 1500 ms');
    expect(d!.log[3].error).toBe('answered 302: redirects are not followed');
    // Every attempt is the same message, signed anew.
    const attempts = receiver.received.slice(first).filter((r) => r.headers['webhook-id'] === d!.messageId);
    expect(attempts).toHaveLength(5);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.headers['webhook-timestamp'])).size).toBe(5);

    // The failures ended when it recovered.
    const shown = (await c.client.get(endpoint.path)).body.endpoint;
    expect(shown).toMatchObject({ enabled: true, failureStreak: 0, failingSince: null });
  });

  it('redelivers a delivery on request, with the same id', async () => {
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), `${receiver.url}/again`, ['subscription.renewed']);
    await c.client.post(`${endpoint.path}/test`);
    await deliverDueWebhooks(t.deps);
    const [d] = await deliveries(c.client, endpoint.path);
    const again = await c.client.post(`${endpoint.path}/deliveries/${d!.id}/redeliver`);
    expect([again.status, again.body.delivery.status]).toEqual([202, 'pending']);
    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    const [redelivered] = await deliveries(c.client, endpoint.path);
    expect(redelivered).toMatchObject({ id: d!.id, status: 'delivered', attempts: 2 });
    expect(receiver.received.filter((r) => r.headers['webhook-id'] === d!.messageId)).toHaveLength(2);
    const audit = (await c.client.get(`/api/v1/accounts/${c.accountId}/audit-events?action=webhook_endpoint.redelivered`)).body.items;
    expect(audit).toHaveLength(1);
    expect((await c.client.post(`${endpoint.path}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`)).status).toBe(404);
  });

  it('pages the delivery log, newest first', async () => {
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), `${receiver.url}/paged`, ['member.removed']);
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push((await c.client.post(`${endpoint.path}/test`)).body.delivery.id);
      t.clock.advanceSeconds(1);
    }
    const first = await c.client.get(`${endpoint.path}/deliveries?limit=2`);
    expect(first.body.items.map((d: { id: string }) => d.id)).toEqual([sent[2], sent[1]]);
    const second = await c.client.get(`${endpoint.path}/deliveries?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((d: { id: string }) => d.id)).toEqual([sent[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect(await deliverAll(t)).toBe(3);
  });

  it('refuses at delivery an address that is not allowed any more, and resolves names with the same rule', async () => {
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), `${receiver.url}/later`, ['installation.blacklisted']);
    await c.client.post(`${endpoint.path}/test`);
    const before = receiver.received.length;
    t.deps.config.webhooks.allowPrivate = false;
    try {
      expect(await deliverDueWebhooks(t.deps)).toBe(1);
      const lookup = guardedLookup(t.deps.config.webhooks);
      const refused = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (err) => resolve(err)));
      expect(refused?.message).toMatch(/may not target a loopback address/);
    } finally {
      t.deps.config.webhooks.allowPrivate = true;
    }
    expect(receiver.received).toHaveLength(before);
    const [d] = await deliveries(c.client, endpoint.path);
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    expect(d!.log[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/may not target a loopback address/) });
    await c.client.delete(endpoint.path);
  });

  it('disables an endpoint after a long failure streak, emails the administrators, and takes it back when enabled', async () => {
    const dead = await startReceiver('fail');
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), dead.url, ['installation.blacklisted']);
    const startedAt = t.clock.now();
    await c.client.post(`${endpoint.path}/test`);
    let shown = (await c.client.get(endpoint.path)).body.endpoint;
    for (let i = 0; i < 40 && shown.enabled; i++) {
      expect(await deliverDueWebhooks(t.deps)).toBe(1);
      const [d] = await deliveries(c.client, endpoint.path);
      if (d!.nextAttemptAt) t.clock.advanceSeconds((new Date(d!.nextAttemptAt).getTime() - t.clock.now().getTime()) / 1000);
      shown = (await c.client.get(endpoint.path)).body.endpoint;
    }
    expect(shown).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/every delivery failed since/) });
    expect(shown.failureStreak).toBeGreaterThanOrEqual(DISABLE_AFTER_FAILURES);
    expect(new Date(shown.failingSince).getTime()).toBe(startedAt.getTime());
    expect(t.clock.now().getTime() - startedAt.getTime()).toBeGreaterThanOrEqual(DISABLE_AFTER_DAYS * 86_400_000);

    const [mail] = await t.emailsTo(c.email);
    expect(mail).toMatchObject({ template: 'webhook_endpoint_disabled', subject: expect.stringContaining('was disabled') });
    expect(mail!.text).toContain(dead.url);
    expect(mail!.text).toContain('http://keyline.test/webhooks');
    const audit = (await c.client.get(`/api/v1/accounts/${c.accountId}/audit-events?action=webhook_endpoint.disabled`)).body.items;
    expect(audit).toHaveLength(1);

    // Disabled: nothing is sent or queued for it.
    const attempts = dead.received.length;
    t.clock.advanceDays(1);
    expect(await deliverDueWebhooks(t.deps)).toBe(0);
    expect(dead.received).toHaveLength(attempts);
    expect((await c.client.post(`${endpoint.path}/test`)).body.error.code).toBe('webhook_endpoint_disabled');

    // Fixed and enabled again: the streak starts afresh and what it missed can be redelivered.
    dead.mode = 'ok';
    const enabled = await c.client.patch(endpoint.path, { enabled: true });
    expect(enabled.body.endpoint).toMatchObject({ enabled: true, failureStreak: 0, failingSince: null, disabledReason: null });
    const [missed] = await deliveries(c.client, endpoint.path);
    await c.client.post(`${endpoint.path}/deliveries/${missed!.id}/redeliver`);
    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    expect((await deliveries(c.client, endpoint.path))[0]!.status).toBe('delivered');
    await dead.close();
  });

  // Last: it moves the clock by a year.
  it('queues the events that come from jobs and other changes: quota exhausted, expiring, expired, member removed', async () => {
    const small = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 2 }], duration: '1y' });
    const endpoint = await addEndpoint(small.client, hooksOf(small.accountId), `${receiver.url}/all`, ['quota.exhausted', 'subscription.expiring', 'subscription.expired', 'member.removed']);
    // Read from the tables: the customer's session does not outlive the year this test moves through.
    const queued = () => t.deps.db.selectFrom('webhook_deliveries').select(['event_type', 'body']).where('endpoint_id', '=', endpoint.id).orderBy('created_at').orderBy('id').execute();
    const types = async () => (await queued()).map((d) => d.event_type);
    const latest = async () => JSON.parse((await queued()).at(-1)!.body);

    expect((await activate(t, activationBody(small.key))).status).toBe(201);
    expect(await types()).toEqual([]);
    expect((await activate(t, activationBody(small.key))).status).toBe(201);
    expect(await types()).toEqual(['quota.exhausted']);
    expect((await latest()).data).toMatchObject({ keyId: small.primaryKey.id, limit: 'main_pool', subscriptionId: small.subscription.id });

    t.clock.advanceSeconds(1);
    const member = await signedInUser(t, 'leaving');
    await insertMembership(t.deps.db, { accountId: small.accountId, userId: member.userId, role: 'member' });
    expect((await small.client.delete(`/api/v1/accounts/${small.accountId}/members/${member.userId}`)).status).toBe(200);
    expect((await types()).at(-1)).toBe('member.removed');

    t.clock.advanceDays(340);
    await sendExpiryReminders(t.deps);
    expect((await types()).at(-1)).toBe('subscription.expiring');
    t.clock.advanceDays(30);
    expect(await recordExpiredSubscriptions(t.deps)).toBeGreaterThan(0);
    // Once per expiry, however often the job runs.
    await recordExpiredSubscriptions(t.deps);
    expect((await types()).slice(-2)).toEqual(['subscription.expiring', 'subscription.expired']);
    expect((await latest()).data).toMatchObject({ subscriptionId: small.subscription.id, accountId: small.accountId });
    await deliverAll(t);
    const statuses = await t.deps.db.selectFrom('webhook_deliveries').select('status').where('endpoint_id', '=', endpoint.id).execute();
    expect(statuses.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);

    // The log keeps a month.
    t.clock.advanceDays(DELIVERY_LOG_DAYS + 1);
    expect(await purgeWebhookLog(t.deps)).toBeGreaterThanOrEqual(4);
    expect(await queued()).toEqual([]);
  });
});

describe('managing endpoints (only public addresses allowed, as by default)', () => {
  let t: TestApp;
  let c: Customer;
  const PUBLIC_URL = 'https://93.184.215.14/keyline-hooks';

  beforeAll(async () => {
    t = await createTestApp();
    c = await customerWithSubscription(t);
  });
  afterAll(() => t.close());

  it('lets administrators add, list, change and delete endpoints, each change audited', async () => {
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), PUBLIC_URL, ['member.joined', 'installation.activated', 'member.joined'], '  ERP  ');
    const listed = (await c.client.get(hooksOf(c.accountId))).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: endpoint.id, url: PUBLIC_URL, description: 'ERP', eventTypes: ['installation.activated', 'member.joined'], enabled: true })]);
    const changed = await c.client.patch(endpoint.path, { eventTypes: ['ticket.updated'], enabled: false, description: 'ERP (paused)' });
    expect(changed.body.endpoint).toMatchObject({ eventTypes: ['ticket.updated'], enabled: false, description: 'ERP (paused)', disabledReason: null });
    expect((await c.client.delete(endpoint.path)).status).toBe(204);
    expect((await c.client.get(endpoint.path)).status).toBe(404);
    const actions = (await c.client.get(`/api/v1/accounts/${c.accountId}/audit-events?targetType=webhook_endpoint`)).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['webhook_endpoint.deleted', 'webhook_endpoint.updated', 'webhook_endpoint.created']);
  });

  it('refuses loopback, private and link-local targets and plain http with a stable code, writing nothing', async () => {
    const writes = await watchWrites(t.deps.db);
    const cases: [string, string, string | undefined][] = [
      ['https://127.0.0.1:8443/hooks', 'webhook_address_forbidden', 'loopback'],
      ['https://localhost/hooks', 'webhook_address_forbidden', 'loopback'],
      ['https://[::1]/hooks', 'webhook_address_forbidden', 'loopback'],
      ['https://[::ffff:127.0.0.1]/hooks', 'webhook_address_forbidden', 'loopback'],
      ['https://2130706433/hooks', 'webhook_address_forbidden', 'loopback'],
      ['https://10.1.2.3/hooks', 'webhook_address_forbidden', 'private'],
      ['https://192.168.0.10/hooks', 'webhook_address_forbidden', 'private'],
      ['https://169.254.169.254/latest/meta-data/', 'webhook_address_forbidden', 'link_local'],
      ['https://[fe80::1]/hooks', 'webhook_address_forbidden', 'link_local'],
      ['https://0.0.0.0/hooks', 'webhook_address_forbidden', 'unspecified'],
      ['http://93.184.215.14/hooks', 'webhook_https_required', undefined],
    ];
    await writes.take();
    for (const [url, code, addressClass] of cases) {
      const res = await c.client.post(hooksOf(c.accountId), { url, eventTypes: ['installation.activated'] });
      expect([url, res.status, res.body.error.code, res.body.error.details.addressClass]).toEqual([url, 422, code, addressClass]);
    }
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), PUBLIC_URL, ['installation.activated']);
    await writes.take();
    const moved = await c.client.patch(endpoint.path, { url: 'https://127.0.0.1/hooks' });
    expect([moved.status, moved.body.error.code]).toEqual([422, 'webhook_address_forbidden']);
    expect(await writes.take()).toEqual([]);
    await c.client.delete(endpoint.path);
  });

  it('refuses hostile text and malformed URLs with 400, writing nothing', async () => {
    const writes = await watchWrites(t.deps.db);
    const bodies: [string, unknown][] = [
      ['description with NUL', { url: PUBLIC_URL, description: 'a\u0000b', eventTypes: ['installation.activated'] }],
      ['description with a lone surrogate', { url: PUBLIC_URL, description: 'a\ud800b', eventTypes: ['installation.activated'] }],
      ['URL with NUL', { url: `${PUBLIC_URL}\u0000`, eventTypes: ['installation.activated'] }],
      ['URL with a lone surrogate', { url: `${PUBLIC_URL}\udc00`, eventTypes: ['installation.activated'] }],
      ['URL with a space', { url: 'https://93.184.215.14/a b', eventTypes: ['installation.activated'] }],
      ['URL with a tab', { url: 'https://93.184.\t215.14/', eventTypes: ['installation.activated'] }],
      ['URL with a user and password', { url: 'https://user:secret@93.184.215.14/', eventTypes: ['installation.activated'] }],
      ['URL with a fragment', { url: `${PUBLIC_URL}#x`, eventTypes: ['installation.activated'] }],
      ['not a URL', { url: 'javascript:alert(1)', eventTypes: ['installation.activated'] }],
      ['URL too long', { url: `${PUBLIC_URL}/${'a'.repeat(2000)}`, eventTypes: ['installation.activated'] }],
      ['description too long', { url: PUBLIC_URL, description: 'x'.repeat(501), eventTypes: ['installation.activated'] }],
      ['no event type', { url: PUBLIC_URL, eventTypes: [] }],
      ['unknown event type', { url: PUBLIC_URL, eventTypes: ['installation.exploded'] }],
      ['unknown field', { url: PUBLIC_URL, eventTypes: ['installation.activated'], secret: 'whsec_mine' }],
    ];
    await writes.take();
    for (const [label, body] of bodies) {
      const res = await c.client.post(hooksOf(c.accountId), body);
      expect([label, res.status, res.body.error?.code]).toEqual([label, 400, 'validation_failed']);
    }
    expect(await writes.take()).toEqual([]);
  });

  it('keeps endpoints to account administrators: 403 for other roles, 404 across accounts, operators for the vendor', async () => {
    const endpoint = await addEndpoint(c.client, hooksOf(c.accountId), PUBLIC_URL, ['installation.activated']);
    const member = await signedInUser(t, 'regular');
    await insertMembership(t.deps.db, { accountId: c.accountId, userId: member.userId, role: 'member' });
    for (const res of [await member.client.get(hooksOf(c.accountId)), await member.client.post(hooksOf(c.accountId), { url: PUBLIC_URL, eventTypes: ['installation.activated'] }), await member.client.get(`${endpoint.path}/deliveries`)]) {
      expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
    }

    const outsider = await customerWithSubscription(t);
    const foreign = `${hooksOf(outsider.accountId)}/${endpoint.id}`;
    for (const res of [
      await outsider.client.get(hooksOf(c.accountId)),
      await outsider.client.get(foreign),
      await outsider.client.patch(foreign, { enabled: false }),
      await outsider.client.delete(foreign),
      await outsider.client.post(`${foreign}/test`),
      await outsider.client.post(`${foreign}/rotate-secret`),
      await outsider.client.get(`${foreign}/deliveries`),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
    }
    expect((await c.client.get(endpoint.path)).body.endpoint.enabled).toBe(true);

    expect((await c.client.get('/api/v1/vendor/webhooks')).body.error.code).toBe('operator_only');
    const operator = (await signedInOperator(t)).client;
    expect((await operator.get('/api/v1/vendor/webhooks')).body.items).toEqual([]);
    // An account's endpoint is not the vendor's.
    expect((await operator.get(`/api/v1/vendor/webhooks/${endpoint.id}`)).status).toBe(404);
  });
});
