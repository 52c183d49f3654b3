import { describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  DISABLE_AFTER_DAYS,
  DISABLE_AFTER_FAILURES,
  shouldDisableEndpoint,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENTS,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_TEST_EVENT,
  webhookBody,
  webhookEventOf,
  webhookEventTypeOf,
  webhookRetryDelaySeconds,
} from '../../../src/domain/webhooks.js';

describe('the event types', () => {
  it('are the ones the issue lists, ticket.updated reserved for the support desk', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
      'installation.activated',
      'installation.deactivated',
      'installation.blacklisted',
      'quota.exhausted',
      'quota.over_limit',
      'subscription.expiring',
      'subscription.expired',
      'subscription.renewed',
      'member.joined',
      'member.removed',
      'ticket.updated',
    ]);
    expect(WEBHOOK_EVENTS['ticket.updated'].actions).toEqual([]);
  });

  it.each([
    ['installation.activated', 'installation.activated'],
    ['installation.offline_activated', 'installation.activated'],
    ['installation.deactivated', 'installation.deactivated'],
    ['installation.offline_deactivated', 'installation.deactivated'],
    ['installation.blacklisted', 'installation.blacklisted'],
    ['quota.exhausted', 'quota.exhausted'],
    ['quota.over_limit', 'quota.over_limit'],
    ['subscription.expiring', 'subscription.expiring'],
    ['subscription.expired', 'subscription.expired'],
    ['subscription.renewed', 'subscription.renewed'],
    ['member.joined', 'member.joined'],
    ['member.removed', 'member.removed'],
    ['member.left', 'member.removed'],
  ])('the audit action %s is the event %s', (action, type) => {
    expect(webhookEventTypeOf(action)).toBe(type);
  });

  it.each(['installation.updated', 'installation.unblacklisted', 'installation.deactivation_requested', 'member.role_changed', 'webhook_endpoint.created', 'ticket.updated', '', 'INSTALLATION.ACTIVATED'])(
    'the audit action %j is no event',
    (action) => {
      expect(webhookEventTypeOf(action)).toBeNull();
      expect(webhookEventOf({ accountId: 'a', action, targetId: 't', by: null }, new Date())).toBeNull();
    },
  );

  it('gives each audit action to one event type at most', () => {
    const actions = WEBHOOK_EVENT_TYPES.flatMap((t) => WEBHOOK_EVENTS[t].actions);
    expect(new Set(actions).size).toBe(actions.length);
  });
});

describe('the body of a delivery', () => {
  const at = new Date('2027-03-04T05:06:07.089Z');

  it('is {type, timestamp, data}, data naming the changed thing by its id field and keeping the details', () => {
    const event = webhookEventOf(
      { accountId: 'acc-1', action: 'installation.offline_activated', targetId: 'inst-1', details: { keyId: 'key-1', created: true }, by: 'ann@example.com' },
      at,
    );
    expect(event?.type).toBe('installation.activated');
    expect(JSON.parse(event!.body)).toEqual({
      type: 'installation.activated',
      timestamp: '2027-03-04T05:06:07.089Z',
      data: { keyId: 'key-1', created: true, accountId: 'acc-1', installationId: 'inst-1', action: 'installation.offline_activated', by: 'ann@example.com' },
    });
  });

  it('keeps its own fields when details name the same ones', () => {
    const body = JSON.parse(webhookBody('member.joined', { accountId: 'acc-1', action: 'member.joined', targetId: 'user-1', details: { accountId: 'forged', userId: 'forged', role: 'admin' }, by: null }, at));
    expect(body.data).toEqual({ role: 'admin', accountId: 'acc-1', userId: 'user-1', action: 'member.joined', by: null });
  });

  it('of a test event names the endpoint', () => {
    const body = JSON.parse(webhookBody(WEBHOOK_TEST_EVENT, { accountId: null, action: 'webhook_endpoint.test_sent', targetId: 'ep-1', by: 'op@example.com' }, at));
    expect(body).toMatchObject({ type: 'webhook.test', data: { endpointId: 'ep-1', accountId: null } });
  });
});

describe('retries', () => {
  it('back off exponentially from 30 seconds, at most 6 hours apart', () => {
    expect([1, 2, 3, 4, 5].map(webhookRetryDelaySeconds)).toEqual([30, 60, 120, 240, 480]);
    expect(webhookRetryDelaySeconds(10)).toBe(15_360);
    expect(webhookRetryDelaySeconds(11)).toBe(6 * 3600);
    expect(webhookRetryDelaySeconds(WEBHOOK_MAX_ATTEMPTS)).toBe(6 * 3600);
  });

  it('go on for days, past the streak that disables an endpoint, but not for a week', () => {
    let waited = 0;
    for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) waited += webhookRetryDelaySeconds(attempt);
    expect(waited).toBeGreaterThan(DISABLE_AFTER_DAYS * 86_400);
    expect(waited).toBeLessThan(7 * 86_400);
    expect(WEBHOOK_MAX_ATTEMPTS).toBeGreaterThan(DISABLE_AFTER_FAILURES);
  });
});

describe('disabling an endpoint', () => {
  const now = new Date('2027-03-10T00:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

  it.each([
    [{ failures: 0, failingSince: null }, false],
    [{ failures: DISABLE_AFTER_FAILURES, failingSince: null }, false],
    [{ failures: 1000, failingSince: daysAgo(DISABLE_AFTER_DAYS - 0.01) }, false],
    [{ failures: DISABLE_AFTER_FAILURES - 1, failingSince: daysAgo(30) }, false],
    [{ failures: DISABLE_AFTER_FAILURES, failingSince: daysAgo(DISABLE_AFTER_DAYS) }, true],
    [{ failures: 500, failingSince: daysAgo(10) }, true],
  ])('%o: %s', (streak, expected) => {
    expect(shouldDisableEndpoint(streak, now)).toBe(expected);
  });
});

describe('a webhook URL', () => {
  const strict = { allowPrivate: false, allowHttp: false };
  const open = { allowPrivate: true, allowHttp: true };
  const check = (url: string, policy = strict) => checkWebhookUrl(new URL(url), policy);

  it('is https on a public host', () => {
    const checked = check('https://hooks.example.com/keyline');
    expect(checked).toMatchObject({ ok: true, destination: { host: 'hooks.example.com', addressClass: null } });
    expect(check('https://[2606:4700:4700::1111]:8443/x')).toMatchObject({ ok: true, destination: { host: '2606:4700:4700::1111', addressClass: 'public' } });
  });

  it('is refused over plain http unless allowed', () => {
    expect(check('http://hooks.example.com/')).toMatchObject({ ok: false, refusal: { code: 'webhook_https_required' } });
    expect(check('http://hooks.example.com/', { allowPrivate: false, allowHttp: true }).ok).toBe(true);
  });

  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://2130706433/', 'loopback'],
    ['https://0x7f.0.0.1/', 'loopback'],
    ['https://localhost:8080/', 'loopback'],
    ['https://api.localhost/', 'loopback'],
    ['https://LOCALHOST./', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://10.0.0.5/', 'private'],
    ['https://192.168.1.1/', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'link_local'],
    ['https://[fe80::1]/', 'link_local'],
    ['https://[fd00::1]/', 'private'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://100.64.0.1/', 'shared'],
    ['https://224.0.0.1/', 'multicast'],
  ])('%s is refused as %s unless private addresses are allowed', (url, addressClass) => {
    expect(check(url)).toMatchObject({ ok: false, refusal: { code: 'webhook_address_forbidden', addressClass } });
    expect(check(url, open).ok).toBe(true);
  });
});
